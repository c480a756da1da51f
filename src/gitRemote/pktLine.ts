/**
 * git's pkt-line framing (Documentation/gitprotocol-common.txt): four hex digits giving the length
 * of the line including themselves, then the payload; "0000" is a flush packet that ends a section.
 * The smart protocol's advertisements, requests and answers are sequences of these; a pack answer
 * is carried inside them by side-band channels (`sideBand`).
 */

/** The longest packet the protocol allows (65520 bytes with its 4-byte header). */
export const MAX_PKT_PAYLOAD = 65516;

/** A flush packet: ends a list of commands, wants or refs. */
export const FLUSH_PKT = Buffer.from("0000", "latin1");

/** One packet holding `payload` (text is written as UTF-8). */
export function pktLine(payload: string | Uint8Array): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  if (body.length > MAX_PKT_PAYLOAD) throw new RangeError(`a pkt-line holds at most ${MAX_PKT_PAYLOAD} bytes, not ${body.length}`);
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, "0"), "latin1"), body]);
}

/** What `PktLineReader.next` read: a packet's payload, a flush (or delimiter) packet, or the end of the stream. */
export type Packet = { kind: "data"; payload: Buffer } | { kind: "flush" } | { kind: "delim" } | { kind: "end" };

/** Raised for bytes that are not pkt-lines; the caller turns it into a DwError naming the remote. */
export class PktLineError extends Error {
  override readonly name: string = "PktLineError";
}

/** Raised when an answer runs past the reader's `limit`: not a framing fault but an answer too large to take. */
export class PktLineLimitError extends PktLineError {
  override readonly name = "PktLineLimitError";
  constructor(readonly limit: number) {
    super(`the answer is longer than the ${limit} bytes expected of it`);
  }
}

/**
 * Reads packets from a stream of byte chunks as they arrive, keeping at most one packet's bytes
 * beyond what it was given (so a long answer costs time linear in its size, memory in one packet).
 * `limit` bounds the bytes read in all: an answer that never ends is an error, not a full heap.
 */
export class PktLineReader {
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  private done = false;
  private total = 0;

  constructor(
    private readonly chunks: AsyncIterator<Uint8Array>,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  /** The next packet. */
  async next(): Promise<Packet> {
    const head = await this.take(4);
    if (head === null) return { kind: "end" };
    const text = head.toString("latin1");
    if (!/^[0-9a-f]{4}$/.test(text)) throw new PktLineError(`expected a pkt-line length, found ${JSON.stringify(text)}`);
    const length = Number.parseInt(text, 16);
    if (length === 0) return { kind: "flush" };
    if (length === 1) return { kind: "delim" };
    if (length < 4) throw new PktLineError(`a pkt-line length of ${length} is not allowed`);
    const payload = await this.take(length - 4);
    if (payload === null) throw new PktLineError(`the stream ended inside a ${length}-byte pkt-line`);
    return { kind: "data", payload };
  }

  /** The bytes after the packets read so far, as they arrive (a raw pack after a push's commands, or a pack without side-band). */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.position < this.buffer.length) yield this.buffer.subarray(this.position);
    this.buffer = Buffer.alloc(0);
    this.position = 0;
    for (;;) {
      const chunk = await this.pull();
      if (chunk === null) return;
      yield chunk;
    }
  }

  /** Exactly `n` bytes, or null when the stream ends before any of them (an error when it ends within them). */
  private async take(n: number): Promise<Buffer | null> {
    while (this.buffer.length - this.position < n) {
      const chunk = await this.pull();
      if (chunk === null) {
        if (this.buffer.length === this.position) return null;
        throw new PktLineError(`the stream ended after ${this.buffer.length - this.position} of ${n} expected bytes`);
      }
      this.buffer = Buffer.concat([this.buffer.subarray(this.position), chunk]);
      this.position = 0;
    }
    const out = this.buffer.subarray(this.position, this.position + n);
    this.position += n;
    return out;
  }

  private async pull(): Promise<Buffer | null> {
    if (this.done) return null;
    const { value, done } = await this.chunks.next();
    if (done || value === undefined) {
      this.done = true;
      return null;
    }
    this.total += value.length;
    if (this.total > this.limit) throw new PktLineLimitError(this.limit);
    return Buffer.from(value.buffer, value.byteOffset, value.length);
  }
}

/** A reader of packets already in memory (a status report gathered from side-band channel 1). */
export function bytesReader(bytes: Uint8Array, limit?: number): PktLineReader {
  let given = false;
  const chunks: AsyncIterator<Uint8Array> = {
    async next() {
      if (given) return { done: true, value: undefined };
      given = true;
      return { done: false, value: bytes };
    },
  };
  return new PktLineReader(chunks, limit);
}

/**
 * The data of side-band channel 1 (the pack, or a push's status report) from packets that carry a
 * channel byte, until a flush or the end. Channel 2 is progress, which `onProgress` receives;
 * channel 3 is the server's fatal error, thrown as a `PktLineError` with its text prefixed by
 * "remote error:" so the caller can tell it from a framing fault.
 */
export async function* sideBand(reader: PktLineReader, first?: Buffer, onProgress?: (text: string) => void): AsyncGenerator<Uint8Array> {
  let payload: Buffer | undefined = first;
  for (;;) {
    if (payload === undefined) {
      const packet = await reader.next();
      if (packet.kind !== "data") return;
      payload = packet.payload;
    }
    const channel = payload[0];
    const data = payload.subarray(1);
    payload = undefined;
    if (channel === 1) yield data;
    else if (channel === 2) onProgress?.(data.toString("utf8"));
    else if (channel === 3) throw new PktLineError(`remote error: ${data.toString("utf8").trim()}`);
    else throw new PktLineError(`a side-band packet on channel ${channel}, which does not exist`);
  }
}
