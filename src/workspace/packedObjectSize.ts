import { closeSync, openSync, readSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { inflatePrefix } from "./inflatePrefix.js";

/** Pack entry types (git's Documentation/gitformat-pack.txt). */
const OFS_DELTA = 6;
const REF_DELTA = 7;
const OBJECT_TYPES = new Set([1, 2, 3, 4]);

/** Bytes read at an entry: its header (≤ 10 bytes), a delta's base (≤ 20) and the compressed start. */
const ENTRY_READ = 4096 + 32;

/**
 * The uncompressed size of object `oid` (40 hex) in one of the packs under `<gitdir>/objects/pack`,
 * read from the pack's .idx (v2) and the entry's header without inflating the object; for a delta,
 * the result size written at the start of its delta data (inflating only those first bytes).
 * Null when no pack holds it or a pack cannot be read with certainty (an .idx v1, a damaged file).
 * The reads are synchronous: a handful of reads of at most 4 KiB each at known offsets take ~30 µs
 * in all, where the same reads through fs.promises took ~300 µs (measured on this machine).
 */
export function packedObjectSize(gitdir: string, oid: string): number | null {
  const packDir = join(gitdir, "objects", "pack");
  let names: string[];
  try {
    names = readdirSync(packDir);
  } catch {
    return null;
  }
  const name = Buffer.from(oid, "hex");
  for (const idx of names) {
    if (!idx.endsWith(".idx")) continue;
    const offset = withFile(join(packDir, idx), (fd) => findOffset(fd, name));
    if (offset === undefined) continue;
    if (offset === null) return null;
    return withFile(join(packDir, `${idx.slice(0, -4)}.pack`), (fd) => entrySize(fd, offset));
  }
  return null;
}

/** `fn` of the open file `path`, or null when it cannot be opened (a pack removed by a concurrent repack). */
function withFile<T>(path: string, fn: (fd: number) => T): T | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

/** Up to `length` bytes of the file at `position` (fewer at its end). */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  return buf.subarray(0, readSync(fd, buf, 0, length, position));
}

/**
 * Where `name` starts in the pack an .idx v2 describes: undefined when the index does not list it,
 * null when the index is not one this reads (v1, truncated). Reads the fanout table, the names that
 * share the first byte and one or two offset words.
 */
function findOffset(fd: number, name: Buffer): number | null | undefined {
  const head = readAt(fd, 0, 8 + 256 * 4);
  if (head.length < 8 + 256 * 4 || head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) return null;
  const fanout = (i: number) => head.readUInt32BE(8 + i * 4);
  const count = fanout(255);
  const first = name[0] === 0 ? 0 : fanout(name[0] - 1);
  const end = fanout(name[0]);
  if (end < first || end > count) return null;
  const namesAt = 8 + 256 * 4;
  const bucket = readAt(fd, namesAt + first * 20, (end - first) * 20);
  if (bucket.length !== (end - first) * 20) return null;
  let lo = 0;
  let hi = end - first;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = name.compare(bucket, mid * 20, mid * 20 + 20);
    if (cmp === 0) {
      lo = mid;
      hi = -1;
      break;
    }
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  if (hi !== -1) return undefined;
  const index = first + lo;
  const offsetsAt = namesAt + count * 24; // after the names (20 each) and the CRCs (4 each)
  const word = readAt(fd, offsetsAt + index * 4, 4);
  if (word.length !== 4) return null;
  const small = word.readUInt32BE(0);
  if (small < 0x80000000) return small;
  // Packs over 2 GiB: the word indexes the table of 64-bit offsets after the 32-bit ones.
  const large = readAt(fd, offsetsAt + count * 4 + (small & 0x7fffffff) * 8, 8);
  if (large.length !== 8) return null;
  const offset = large.readBigUInt64BE(0);
  return offset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(offset) : null;
}

/** The size of the object whose entry starts at `offset`: the header's for an object, the delta's result size for a delta. */
function entrySize(fd: number, offset: number): number | null {
  const entry = readAt(fd, offset, ENTRY_READ);
  // Type and size: 3 bits of type and 4 of size, then 7 bits of size per byte while the top bit is set.
  let c = entry[0];
  if (c === undefined) return null;
  const type = (c >> 4) & 7;
  let size = c & 15;
  let scale = 16;
  let at = 1;
  while (c & 0x80) {
    if (at >= 10 || at >= entry.length) return null;
    c = entry[at++];
    size += (c & 0x7f) * scale;
    scale *= 128;
  }
  if (OBJECT_TYPES.has(type)) return size;
  if (type === OFS_DELTA) {
    // The base's distance back: big-endian 7-bit groups, each continuation adding one (git's offset encoding).
    do {
      if (at >= 10 || at >= entry.length) return null;
      c = entry[at++];
    } while (c & 0x80);
  } else if (type === REF_DELTA) {
    at += 20;
  } else {
    return null;
  }
  if (at >= entry.length) return null;
  // Delta data starts with the base's size, then the result's: little-endian 7-bit groups each.
  let varints: number[] = [];
  const start = inflatePrefix(entry.subarray(at), (out) => {
    varints = leadingVarints(out, 2);
    return varints.length === 2;
  });
  return start === null ? null : varints[1];
}

/** Up to `n` little-endian base-128 numbers from the start of `bytes` (only whole ones). */
function leadingVarints(bytes: Uint8Array, n: number): number[] {
  const out: number[] = [];
  let at = 0;
  while (out.length < n) {
    let value = 0;
    let scale = 1;
    let c: number;
    do {
      if (at >= bytes.length || scale > 2 ** 63) return out;
      c = bytes[at++];
      value += (c & 0x7f) * scale;
      scale *= 128;
    } while (c & 0x80);
    out.push(value);
  }
  return out;
}
