import { constants, inflateSync } from "node:zlib";

/**
 * Compressed prefixes tried, shortest first. A zlib stream's first output byte comes after at
 * most its 2-byte header and one block header (a dynamic Huffman header is under 300 bytes), so
 * 512 bytes always reach it; 4 KiB is slack. Inflating n compressed bytes gives at most ~1,032·n
 * bytes, so the longest try gives at most ~4 MiB, and a real object's header comes from the first.
 */
const PREFIX_LENGTHS = [64, 512, 4096];

/**
 * The start of what a zlib stream inflates to, read from the first bytes of `deflated` only: the
 * shortest prefix after which `enough(out)` holds, inflated, or null when no prefix gets there (a
 * damaged stream included). Never inflates the whole stream, so a small stream that inflates to
 * gigabytes costs kilobytes here.
 */
export function inflatePrefix(deflated: Uint8Array, enough: (out: Uint8Array) => boolean): Uint8Array | null {
  for (const length of PREFIX_LENGTHS) {
    const input = deflated.subarray(0, length);
    let out: Uint8Array;
    try {
      // Z_SYNC_FLUSH: a truncated stream gives what it inflates so far instead of an error.
      out = inflateSync(input, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
    if (enough(out)) return out;
    if (input.length < length) return null;
  }
  return null;
}
