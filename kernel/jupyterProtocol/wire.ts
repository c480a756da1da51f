import { createHmac, timingSafeEqual } from "node:crypto";
import type { JupyterMessage, MessageHeader } from "./message.js";

/** Separates the routing identities from the signed message parts. */
export const DELIMITER = Buffer.from("<IDS|MSG>");

export class WireError extends Error {
  override readonly name = "WireError";
}

/**
 * Signs and checks messages with the connection file's key. An empty key means "no signing",
 * as the Jupyter spec allows: the signature frame is then empty and never checked.
 */
export interface Signer {
  sign(parts: readonly Buffer[]): string;
  verify(signature: string, parts: readonly Buffer[]): boolean;
}

export function createSigner(key: string, scheme = "hmac-sha256"): Signer {
  if (key === "") {
    return { sign: () => "", verify: () => true };
  }
  const match = /^hmac-(sha\d+)$/.exec(scheme);
  if (!match) throw new WireError(`Unsupported signature_scheme '${scheme}'; expected hmac-sha256.`);
  const algorithm = match[1];
  const sign = (parts: readonly Buffer[]): string => {
    const hmac = createHmac(algorithm, key);
    for (const p of parts) hmac.update(p);
    return hmac.digest("hex");
  };
  return {
    sign,
    verify(signature, parts) {
      const expected = Buffer.from(sign(parts));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/** Frames for zeromq: identities, delimiter, signature, header, parent, metadata, content, buffers. */
export function encodeMessage(msg: JupyterMessage<unknown>, signer: Signer): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p)));
  return [...msg.identities, DELIMITER, Buffer.from(signer.sign(parts)), ...parts, ...msg.buffers];
}

/** Parses frames from a socket; throws a WireError on a bad signature or a malformed message. */
export function decodeMessage(frames: readonly Buffer[], signer: Signer): JupyterMessage {
  const at = frames.findIndex((f) => f.equals(DELIMITER));
  if (at < 0) throw new WireError("message has no <IDS|MSG> delimiter");
  if (frames.length < at + 6) throw new WireError(`message has ${frames.length - at - 1} parts after the delimiter; expected at least 5`);
  const signature = frames[at + 1].toString();
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) throw new WireError("message signature does not match the connection key");
  const [header, parent, metadata, content] = parts.map((p, i) => {
    try {
      return JSON.parse(p.toString("utf8")) as unknown;
    } catch {
      throw new WireError(`message part ${["header", "parent_header", "metadata", "content"][i]} is not JSON`);
    }
  });
  if (!isHeader(header)) {
    throw new WireError("message header lacks msg_type or msg_id");
  }
  return {
    identities: frames.slice(0, at).map((f) => Buffer.from(f)),
    header,
    parent_header: (isObject(parent) ? parent : {}) as MessageHeader | Record<string, never>,
    metadata: isObject(metadata) ? metadata : {},
    content: isObject(content) ? content : {},
    buffers: frames.slice(at + 6).map((f) => Buffer.from(f)),
  };
}

/**
 * A header the kernel can route: msg_type and msg_id are what it reads; the other fields are kept
 * as the client sent them, since a reply's parent_header must be the request's header unchanged.
 */
function isHeader(v: unknown): v is MessageHeader {
  return isObject(v) && typeof v.msg_type === "string" && typeof v.msg_id === "string";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
