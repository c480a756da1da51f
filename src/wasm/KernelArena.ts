import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withSharedMemory } from "./withSharedMemory.js";

/** The exports of kernels.wat; pointers are byte offsets into the arena, counts are elements. */
export interface Kernels {
  gather(idx: number, m: number, g: number, h: number, gOrd: number, hOrd: number): void;
  gatherRows(idx: number, m: number, rowBins: number, p: number, stride: number, out: number): void;
  partition(idx: number, m: number, column: number, thr: number, tmp: number): number;
  sortF64(a: number, n: number, tmp: number, counts: number): void;
  binValues(x: number, stride: number, n: number, th: number, nt: number, out: number): void;
  exp(x: number): number;
  logLossGradients(raw: number, y: number, g: number, h: number, n: number): void;
  subtract(out: number, a: number, b: number, n: number): void;
  scanGH(hist: number, nb: number, C: number, hIdx: number, G: number, H: number, m: number, lambda: number, minLeaf: number, minH: number, out: number): void;
  scanFeatures(
    hist: number,
    off: number,
    nBins: number,
    f0: number,
    f1: number,
    C: number,
    hIdx: number,
    G: number,
    H: number,
    m: number,
    lambda: number,
    minLeaf: number,
    minH: number,
    out: number,
  ): void;
  histGH(hist: number, off: number, f0: number, f1: number, rowBins: number, p: number, idx: number, m: number, g: number, h: number): void;
  histG(hist: number, off: number, f0: number, f1: number, rowBins: number, p: number, idx: number, m: number, g: number): void;
  histRoot(hist: number, off: number, f0: number, f1: number, colBins: number, n: number, g: number, h: number, C: number): void;
  matVec(X: number, n: number, p: number, w: number, b: number, z: number): void;
  matTVecAdd(X: number, n: number, p: number, r: number, out: number): void;
  colSqDev(X: number, n: number, p: number, mu: number, out: number): void;
}

/** An array carved out of an arena: its byte offset for the kernels and a view for JavaScript. */
export interface ArenaArray<T> {
  ptr: number;
  view: T;
}

const PAGE = 65536;
/** wasm32 addresses 4 GiB; one page stays unused so that 0 is never a valid array. */
const MAX_BYTES = 65535 * PAGE;

let compiled: WebAssembly.Module | null = null;
let compiledShared: WebAssembly.Module | null = null;

function kernelBytes(): Buffer {
  const url = new URL("./kernels.wasm", import.meta.url);
  try {
    return readFileSync(url);
  } catch {
    throw new Error(
      `${fileURLToPath(url)} is missing: it is compiled from src/wasm/kernels.wat by \`node scripts/buildWasm.mjs\` (part of \`npm run build\` and \`npm run setup\`).`,
    );
  }
}

/** The kernels compiled once per process: for an unshared memory, or (`shared`) for a memory a worker thread shares. */
function kernelModule(shared: boolean): WebAssembly.Module {
  if (shared) {
    compiledShared ??= new WebAssembly.Module(withSharedMemory(kernelBytes()));
    return compiledShared;
  }
  compiled ??= new WebAssembly.Module(kernelBytes());
  return compiled;
}

/** The kernels of `module` working on `memory` (in this thread, or in a worker given both). */
export function bindKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
}

/**
 * WebAssembly memory of a fixed size with dw's numeric kernels bound to it, for one fit. The
 * caller says up front how many bytes its arrays take; arrays are then carved out in order
 * (16-byte aligned, for SIMD loads) and never move, because the memory never grows: the views
 * stay valid for the arena's life. Nothing is freed one by one; the arena goes with its last
 * reference.
 *
 * @example
 * const arena = new KernelArena(KernelArena.bytesFor({ f64: 2 * 3 + 2 + 3 }));
 * const X = arena.f64(6); X.view.set([1, 2, 3, 4, 5, 6]); // 2 rows × 3 columns
 * const w = arena.f64(3); w.view.set([1, 0, -1]);
 * const z = arena.f64(2);
 * arena.kernels.matVec(X.ptr, 2, 3, w.ptr, 0.5, z.ptr); // z.view = [-1.5, -1.5]
 */
export class KernelArena {
  readonly kernels: Kernels;
  readonly memory: WebAssembly.Memory;
  private next = PAGE;
  /** The end of what the caller sized the arena for (the memory itself is rounded up to whole pages). */
  private readonly limit: number;

  /** The compiled kernels; with a shared memory, what a worker thread instantiates on the same memory (see bindKernels). */
  readonly module: WebAssembly.Module;

  /**
   * `shared`: the memory is a SharedArrayBuffer a worker thread can run the kernels on at the
   * same time (each thread on its own arrays or its own part of one), as gradient boosting's
   * second thread does.
   */
  constructor(bytes: number, shared = false) {
    const total = PAGE + bytes;
    this.limit = total;
    if (total > MAX_BYTES) {
      throw new RangeError(
        `a fit needs ${(total / 2 ** 30).toFixed(2)} GiB of working memory, more than the 4 GiB one WebAssembly memory can hold: fit on a sample of the rows, or on fewer features`,
      );
    }
    const pages = Math.ceil(total / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
    this.module = kernelModule(shared);
    this.kernels = bindKernels(this.module, this.memory);
  }

  /** Bytes to ask for, for arrays of these element counts (alignment padding included). */
  static bytesFor(counts: { f64?: number; u32?: number; i32?: number; u8?: number; arrays?: number }): number {
    return (counts.f64 ?? 0) * 8 + (counts.u32 ?? 0) * 4 + (counts.i32 ?? 0) * 4 + (counts.u8 ?? 0) + 16 * (counts.arrays ?? 8);
  }

  f64(n: number): ArenaArray<Float64Array> {
    const ptr = this.take(n * 8);
    return { ptr, view: new Float64Array(this.memory.buffer, ptr, n) };
  }

  u32(n: number): ArenaArray<Uint32Array> {
    const ptr = this.take(n * 4);
    return { ptr, view: new Uint32Array(this.memory.buffer, ptr, n) };
  }

  i32(n: number): ArenaArray<Int32Array> {
    const ptr = this.take(n * 4);
    return { ptr, view: new Int32Array(this.memory.buffer, ptr, n) };
  }

  u8(n: number): ArenaArray<Uint8Array> {
    const ptr = this.take(n);
    return { ptr, view: new Uint8Array(this.memory.buffer, ptr, n) };
  }

  private take(bytes: number): number {
    const ptr = this.next;
    const end = ptr + bytes;
    if (end > this.limit)
      throw new RangeError(`KernelArena: ${bytes} more bytes asked of an arena sized for ${this.limit - PAGE} (${ptr - PAGE} in use): size it with bytesFor`);
    this.next = Math.ceil(end / 16) * 16;
    return ptr;
  }
}
