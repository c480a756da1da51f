/** Largest memory a wasm32 module may declare, in 64 KiB pages. */
const MAX_PAGES = 65536;

/**
 * The bytes of a compiled WebAssembly module whose imported memory is declared shared (limits
 * flag 3, maximum 65,536 pages), everything else as it was: the same kernels, able to run on a
 * `WebAssembly.Memory({ shared: true })` that a worker thread sees too. A module that imports an
 * unshared memory cannot be linked to a shared one, and the build compiles kernels.wat for the
 * unshared memory every other fit uses; so a fit that wants a second thread derives the shared
 * variant from the same binary instead of keeping a second copy of the kernels' source. The
 * kernels use no atomic instructions: the threads hand work over through Atomics in JavaScript
 * and never touch the same bytes at once.
 *
 * Throws when the bytes are not a module importing exactly one memory.
 *
 * @example
 * const module = new WebAssembly.Module(withSharedMemory(readFileSync("kernels.wasm")));
 */
export function withSharedMemory(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new Error("withSharedMemory: not a WebAssembly module");
  const out: number[] = Array.from(bytes.subarray(0, 8));
  let pos = 8;
  let memories = 0;
  const uleb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw new Error("withSharedMemory: truncated module");
      const b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const encode = (value: number, into: number[]): void => {
    let v = value;
    do {
      const b = v % 128;
      v = Math.floor(v / 128);
      into.push(v > 0 ? b | 0x80 : b);
    } while (v > 0);
  };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = uleb();
    const end = pos + size;
    if (id !== 2) {
      out.push(id);
      encode(size, out);
      for (let k = pos; k < end; k++) out.push(bytes[k]);
      pos = end;
      continue;
    }
    // The import section: entries copied as they are, a memory's limits rewritten.
    const body: number[] = [];
    const copyFrom = (from: number) => {
      for (let k = from; k < pos; k++) body.push(bytes[k]);
    };
    const count = uleb();
    encode(count, body);
    for (let e = 0; e < count; e++) {
      const entry = pos;
      for (let name = 0; name < 2; name++) {
        // The module's and the field's names (`pos += uleb()` would add to pos as it was before the read).
        const length = uleb();
        pos += length;
      }
      const kind = bytes[pos++];
      copyFrom(entry);
      const rest = pos;
      if (kind === 0) uleb();
      else if (kind === 1) {
        pos++; // element type
        const flags = bytes[pos++];
        uleb();
        if (flags & 1) uleb();
      } else if (kind === 3) pos += 2;
      else if (kind === 2) {
        const flags = bytes[pos++];
        const min = uleb();
        if (flags & 1) uleb();
        body.push(3);
        encode(min, body);
        encode(MAX_PAGES, body);
        memories++;
        continue;
      } else throw new Error(`withSharedMemory: unknown import kind ${kind}`);
      copyFrom(rest);
    }
    if (pos !== end) throw new Error("withSharedMemory: malformed import section");
    out.push(id);
    encode(body.length, out);
    for (const b of body) out.push(b);
  }
  if (memories !== 1) throw new Error(`withSharedMemory: expected one imported memory, found ${memories}`);
  return Uint8Array.from(out);
}
