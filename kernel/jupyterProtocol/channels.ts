import { Publisher, Reply, Router, type Socket } from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection.js";
import { createMessageFactory, type JupyterMessage, type MessageFactory } from "./message.js";
import { createSigner, decodeMessage, encodeMessage } from "./wire.js";

export type RequestChannel = "shell" | "control" | "stdin";
export type MessageListener = (channel: RequestChannel, msg: JupyterMessage) => void;

/**
 * The kernel's five sockets, bound as the connection file says. It knows framing and signing,
 * nothing of what messages mean: requests go to `onMessage`, and `send`/`publish` take
 * messages built with `messages`.
 */
export interface Channels {
  readonly messages: MessageFactory;
  send(channel: RequestChannel, msg: JupyterMessage<unknown>): void;
  publish(msg: JupyterMessage<unknown>): void;
  /** Resolves when everything queued so far has been handed to zeromq. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface ChannelOptions {
  onMessage: MessageListener;
  /** Bad signatures and malformed frames: logged, never answered. */
  onBadMessage?(channel: RequestChannel, error: Error): void;
}

export async function createChannels(info: ConnectionInfo, options: ChannelOptions): Promise<Channels> {
  const signer = createSigner(info.key, info.signature_scheme);
  const messages = createMessageFactory();
  const routers: Record<RequestChannel, Router> = { shell: new Router(), control: new Router(), stdin: new Router() };
  const iopub = new Publisher();
  const hb = new Reply();
  await Promise.all([
    ...(Object.keys(routers) as RequestChannel[]).map((c) => routers[c].bind(endpoint(info, c))),
    iopub.bind(endpoint(info, "iopub")),
    hb.bind(endpoint(info, "hb")),
  ]);

  // zeromq allows one send in flight per socket, so each socket gets its own queue.
  const queues = new Map<Socket, Promise<void>>();
  const enqueue = (sock: Publisher | Router, frames: Buffer[]) => {
    const next = (queues.get(sock) ?? Promise.resolve())
      .then(() => sock.send(frames))
      .catch((e: unknown) => {
        if (!sock.closed) options.onBadMessage?.("shell", e instanceof Error ? e : new Error(String(e)));
      });
    queues.set(sock, next);
  };

  const listen = async (channel: RequestChannel) => {
    for await (const frames of routers[channel]) {
      let msg: JupyterMessage;
      try {
        msg = decodeMessage(frames, signer);
      } catch (e) {
        options.onBadMessage?.(channel, e as Error);
        continue;
      }
      options.onMessage(channel, msg);
    }
  };
  const echo = async () => {
    for await (const frames of hb) await hb.send(frames);
  };
  const loops = [listen("shell"), listen("control"), listen("stdin"), echo()].map((p) =>
    p.catch((e: unknown) => {
      // Receiving ends with an error once a socket is closed; anything else is worth a log line.
      if (!isClosedError(e)) options.onBadMessage?.("shell", e as Error);
    }),
  );

  return {
    messages,
    send: (channel, msg) => enqueue(routers[channel], encodeMessage(msg, signer)),
    publish(msg) {
      const topic = Buffer.from(`kernel.${msg.header.session}.${msg.header.msg_type}`);
      enqueue(iopub, encodeMessage({ ...msg, identities: [topic] }, signer));
    },
    async drain() {
      await Promise.all(queues.values());
    },
    async close() {
      await Promise.all(queues.values());
      for (const s of [...Object.values(routers), iopub, hb]) s.close();
      await Promise.all(loops);
    },
  };
}

function isClosedError(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === "EBADF" || code === "ETERM" || code === "EAGAIN";
}
