import { CompressionType, compressionRegistry } from "apache-arrow";

/**
 * Decoders for compressed Arrow IPC buffers, which apache-arrow leaves to the application.
 * pyarrow compresses Feather v2 files with LZ4 frames by default, and ZSTD on request. Called
 * before reading a user's Arrow file, not at import: the column cache is written uncompressed, and
 * hyparquet-compressors (with fzstd, hysnappy and the brotli dictionary, ~150 kB) was loaded by
 * every load_dataset of a CSV and every read of cached columns for a codec neither uses.
 */
export async function registerArrowCodecs(): Promise<void> {
  if (!compressionRegistry.get(CompressionType.LZ4_FRAME)) compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: aligned(decodeLz4Frame) });
  if (compressionRegistry.get(CompressionType.ZSTD)) return;
  const { decompressZstd } = await import("hyparquet-compressors");
  compressionRegistry.set(CompressionType.ZSTD, { decode: aligned((data) => decompressZstd(data)) });
}

/** apache-arrow views buffers as 64-bit arrays, which need an 8-byte-aligned start. */
function aligned(decode: (data: Uint8Array) => Uint8Array): (data: Uint8Array) => Uint8Array {
  return (data) => {
    const out = decode(data);
    return out.byteOffset % 8 === 0 ? out : out.slice();
  };
}

const LZ4_MAGIC = 0x184d2204;

/** An LZ4 frame (the LZ4 frame format spec, v1.6): header, blocks (compressed or stored), end mark. */
export function decodeLz4Frame(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  if (input.length < 7 || view.getUint32(0, true) !== LZ4_MAGIC) throw new Error("not an LZ4 frame");
  const flg = input[4];
  const hasBlockChecksum = (flg & 0x10) !== 0;
  const hasContentSize = (flg & 0x08) !== 0;
  const hasDictId = (flg & 0x01) !== 0;
  let i = 6;
  let out: Uint8Array = new Uint8Array(hasContentSize ? Number(view.getBigUint64(i, true)) : Math.max(1024, input.length * 4));
  if (hasContentSize) i += 8;
  if (hasDictId) i += 4;
  i += 1; // header checksum
  let len = 0;
  for (;;) {
    const raw = view.getUint32(i, true);
    i += 4;
    if (raw === 0) break;
    const size = raw & 0x7fffffff;
    const block = input.subarray(i, i + size);
    if (raw & 0x80000000) {
      out = ensure(out, len + size);
      out.set(block, len);
      len += size;
    } else {
      const r = lz4Block(block, out, len);
      out = r.out;
      len = r.len;
    }
    i += size + (hasBlockChecksum ? 4 : 0);
  }
  return len === out.length ? out : out.subarray(0, len);
}

function ensure(out: Uint8Array, need: number): Uint8Array {
  if (need <= out.length) return out;
  const grown = new Uint8Array(Math.max(need, out.length * 2));
  grown.set(out);
  return grown;
}

/** One LZ4 block appended to `out` at `len`; matches may reach back into earlier blocks (linked mode). */
function lz4Block(src: Uint8Array, out: Uint8Array, len: number): { out: Uint8Array; len: number } {
  let i = 0;
  while (i < src.length) {
    const token = src[i++];
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        b = src[i++];
        literals += b;
      } while (b === 255);
    }
    out = ensure(out, len + literals);
    out.set(src.subarray(i, i + literals), len);
    len += literals;
    i += literals;
    if (i >= src.length) break; // the last sequence has literals only
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    if (offset === 0 || offset > len) throw new Error(`LZ4 match offset ${offset} out of range`);
    let match = token & 15;
    if (match === 15) {
      let b: number;
      do {
        b = src[i++];
        match += b;
      } while (b === 255);
    }
    match += 4;
    out = ensure(out, len + match);
    let from = len - offset;
    for (const end = len + match; len < end; ) out[len++] = out[from++];
  }
  return { out, len };
}
