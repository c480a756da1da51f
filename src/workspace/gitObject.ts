import { createHash } from "node:crypto";

export type GitObjectType = "blob" | "tree" | "commit";

/** A git object ready to store: its id and its bytes as git hashes them (`<type> <length>\0` + content). */
export interface GitObject {
  type: GitObjectType;
  oid: string;
  wrapped: Uint8Array;
}

/**
 * A git object of `type` holding `content`, with its id (the SHA-1 of the wrapped bytes), computed
 * here and synchronously: a commit's objects are small, and hashing them inline costs microseconds
 * where a round trip to the thread pool (WebCrypto's digest) costs a scheduler wake-up each.
 *
 * @example
 * ```ts
 * gitObject("blob", Buffer.from("hello\n")).oid; // "ce013625030ba8dba906f756967f9e9ca394464a", as `git hash-object` says
 * ```
 */
export function gitObject(type: GitObjectType, content: Uint8Array): GitObject {
  const header = Buffer.from(`${type} ${content.byteLength}\0`, "latin1");
  const wrapped = new Uint8Array(header.byteLength + content.byteLength);
  wrapped.set(header, 0);
  wrapped.set(content, header.byteLength);
  return { type, oid: createHash("sha1").update(wrapped).digest("hex"), wrapped };
}
