/**
 * The few protocol-buffer encodings an ONNX file needs, written by hand so that exporting a model
 * adds no dependency: varints (int64 fields, tags, lengths), length-delimited fields (strings,
 * bytes, nested messages, packed arrays) and nothing else. A message is built into its own writer
 * and appended to its parent with its length, so writing is linear in the output for the few
 * levels an ONNX model nests (model, graph, node, attribute, tensor).
 *
 * @example
 * const w = new ProtoWriter();
 * w.int64(1, 10); // ModelProto.ir_version
 * w.string(2, "dw"); // ModelProto.producer_name
 * w.finish(); // Uint8Array [8, 10, 18, 2, 100, 119]
 */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  /** The bytes written so far (a copy of just those bytes). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** A varint field (wire type 0): int64, int32 and enum fields; negative numbers as 10-byte two's complement, as protobuf writes them. */
  int64(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  /** A length-delimited field (wire type 2) holding UTF-8 text. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A length-delimited field holding raw bytes or an already encoded message. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.write(value);
    return this;
  }

  /** A nested message, built by `build` on a writer of its own. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    this.tag(field, 2);
    this.varint(inner.len);
    this.write(inner.buf.subarray(0, inner.len));
    return this;
  }

  /** A packed repeated varint field (repeated int64 [packed]); proto2 parsers also accept the packed form for unpacked fields. */
  packedInt64(field: number, values: ArrayLike<number>): this {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]);
    return this.bytes(field, inner.finish());
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint: ${value} is not a safe integer`);
    this.reserve(10);
    if (value < 0) {
      // Two's complement over 64 bits, 7 bits at a time: always 10 bytes.
      let v = BigInt.asUintN(64, BigInt(value));
      for (let i = 0; i < 9; i++) {
        this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.buf[this.len++] = Number(v);
      return;
    }
    let v = value;
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  private write(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
