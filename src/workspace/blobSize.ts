import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { inflatePrefix } from "./inflatePrefix.js";
import { packedObjectSize, readAt } from "./packedObjectSize.js";

/** Compressed bytes of a loose object read to find its header (inflatePrefix reads at most 4 KiB of them). */
const LOOSE_READ = 4096;

/** A loose object's header: `<type> <decimal size>\0`. */
const LOOSE_HEADER = /^(blob|tree|commit|tag) (0|[1-9][0-9]{0,19})\0/;

/**
 * The uncompressed size of object `oid` in the repository at `gitdir` (what `git cat-file -s`
 * prints), learnt from the object's header without inflating the object: a loose object's first
 * compressed bytes, or a pack's .idx and the entry's header (a delta's first bytes for a delta).
 * So a pushed blob of 10 GB of spaces (10 MB in git) costs a few KiB to measure. Null when the
 * object is not found or cannot be read with certainty (an .idx v1, a damaged file, an object in
 * an alternate); never a guessed number. Exact up to 2^53 bytes. Synchronous, as packedObjectSize
 * says why: a few small reads at known offsets.
 *
 * @example
 * const size = blobSize(ws.gitdir, oid);
 * if (size !== null && size > limit) refuse();
 */
export function blobSize(gitdir: string, oid: string): number | null {
  if (!/^[0-9a-f]{40}$/.test(oid)) return null;
  const loose = looseObjectStart(join(gitdir, "objects", oid.slice(0, 2), oid.slice(2)));
  if (loose !== undefined) {
    let size: number | null = null;
    inflatePrefix(loose, (out) => {
      const nul = out.indexOf(0);
      if (nul < 0 && out.length < 32) return false;
      const m = LOOSE_HEADER.exec(Buffer.from(out.subarray(0, 32)).toString("latin1"));
      size = m ? Number(m[2]) : null;
      return true;
    });
    return size;
  }
  return packedObjectSize(gitdir, oid);
}

/** The first compressed bytes of a loose object file; undefined when there is none (an empty file counts as none, as in gitFs). */
function looseObjectStart(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const start = readAt(fd, 0, LOOSE_READ);
    return start.length === 0 ? undefined : start;
  } finally {
    closeSync(fd);
  }
}
