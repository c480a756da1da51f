import { randomUUID } from "node:crypto";

/** Jupyter messaging protocol version this kernel speaks. */
export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/**
 * One Jupyter message as the kernel handles it: the routing identities it came with (needed to
 * send the reply back on a ROUTER socket), the four JSON parts, and any binary buffers.
 */
export interface JupyterMessage<C = Record<string, unknown>> {
  identities: Buffer[];
  header: MessageHeader;
  /** `{}` when the message answers nothing. */
  parent_header: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export interface MessageFactory {
  /** A new message; `parent` makes it a reply or an output of that request. */
  create<C>(msgType: string, content: C, parent?: JupyterMessage<unknown>, identities?: Buffer[]): JupyterMessage<C>;
}

/** Builds headers for one kernel session: a fresh msg_id each, the session id and the time. */
export function createMessageFactory(options: { session?: string; username?: string; now?: () => Date } = {}): MessageFactory {
  const session = options.session ?? randomUUID();
  const username = options.username ?? "kernel";
  const now = options.now ?? (() => new Date());
  return {
    create(msgType, content, parent, identities) {
      return {
        identities: identities ?? parent?.identities ?? [],
        header: { msg_id: randomUUID(), session, username, date: now().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION },
        parent_header: parent ? parent.header : {},
        metadata: {},
        content,
        buffers: [],
      };
    },
  };
}
