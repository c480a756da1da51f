/** Node's Buffer has these natively; `toString(encoding, …)` adds argument checks that cost more than the copy for a short field. */
type FastSlices = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/** The UTF-8 text of `buf[start, end)`, decoded as Latin-1 (a plain copy) when every byte is ASCII. */
export function decodeBytes(buf: Buffer, start: number, end: number): string {
  const b = buf as FastSlices;
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return b.utf8Slice(start, end);
  return b.latin1Slice(start, end);
}
