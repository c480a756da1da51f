import { KernelArena, type ArenaArray } from "../wasm/KernelArena.js";

/**
 * hist[o + 3·bin] += (g, h, 1) over samples idx[start..end), whose g and h are gathered in order
 * (g[0] is sample idx[start]). A small monomorphic function so that V8 compiles a tight loop.
 */
export function histGH(hist: Float64Array, o: number, bins: Uint8Array, col: number, idx: Uint32Array, start: number, end: number, g: Float64Array, h: Float64Array): void {
  const m = end - start;
  for (let q = 0; q < m; q++) {
    const b = o + bins[col + idx[start + q]] * 3;
    hist[b] += g[q];
    hist[b + 1] += h[q];
    hist[b + 2] += 1;
  }
}

/** hist[o + 2·bin] += (g, 1), as histGH without hessians. */
export function histG(hist: Float64Array, o: number, bins: Uint8Array, col: number, idx: Uint32Array, start: number, end: number, g: Float64Array): void {
  const m = end - start;
  for (let q = 0; q < m; q++) {
    const b = o + bins[col + idx[start + q]] * 2;
    hist[b] += g[q];
    hist[b + 1] += 1;
  }
}

/**
 * Dense histograms of every feature for growTree's "grad" targets (gradient boosting), built by
 * the WebAssembly kernels histGH / histG (src/wasm/kernels.wat) from a row-major copy of the
 * binned matrix: four features per pass over the node's samples, so four histograms (4 × 255
 * bins × 24 bytes) stay in L1 while a sample's row is read once per group, with SIMD adds of
 * (g, h). Each bin sums its samples in sample order, as the column-wise loops above do, so the
 * sums are bit-identical. (About 0.5 ns per sample and feature, against 1.5–3.5 ns for the same
 * loop in JavaScript. A second worker thread for half of the features was tried in JavaScript:
 * on the shared 2-vCPU benchmark machine both halves then ran at half speed, no gain.)
 *
 * Owns the arrays growTree then uses, in the kernels' memory: the sample order `idx` and the
 * gathered gradients / hessians `g` / `h`.
 */
export class HistHelper {
  /** Histograms (histSize doubles each) free for reuse, kept across the trees of a boosting run. */
  readonly pool: Float64Array[] = [];
  readonly idx: Uint32Array;
  readonly g: Float64Array;
  readonly h: Float64Array | null;
  private readonly arena: KernelArena;
  private readonly rowBins: ArenaArray<Uint8Array>;
  private readonly idxA: ArenaArray<Uint32Array>;
  private readonly gA: ArenaArray<Float64Array>;
  private readonly hA: ArenaArray<Float64Array> | null;
  private readonly off: ArenaArray<Int32Array>;
  private readonly scratch: ArenaArray<Float64Array>;
  private readonly p: number;

  /** For growTree's "grad" histograms: (g, h, count) per bin with hessians, else (g, count). */
  constructor(bins: Uint8Array, n: number, nBins: Int32Array, withHessian: boolean) {
    const p = nBins.length;
    this.p = p;
    const C = withHessian ? 3 : 2;
    let histSize = 0;
    for (let f = 0; f < p; f++) histSize += nBins[f] * C;
    this.arena = new KernelArena(KernelArena.bytesFor({ u8: n * p, u32: n, f64: (withHessian ? 2 : 1) * n + histSize, i32: p + 1 }));
    const a = this.arena;
    this.off = a.i32(p + 1);
    for (let f = 0; f < p; f++) this.off.view[f + 1] = this.off.view[f] + nBins[f] * C;
    this.rowBins = a.u8(n * p);
    const rb = this.rowBins.view;
    for (let f = 0; f < p; f++) {
      const col = f * n;
      for (let i = 0, r = f; i < n; i++, r += p) rb[r] = bins[col + i];
    }
    this.idxA = a.u32(n);
    this.gA = a.f64(n);
    this.hA = withHessian ? a.f64(n) : null;
    this.scratch = a.f64(histSize);
    this.idx = this.idxA.view;
    this.g = this.gA.view;
    this.h = this.hA ? this.hA.view : null;
  }

  /** Size of a full histogram (all features), to check that the caller lays it out the same way. */
  get histSize(): number {
    return this.off.view[this.p];
  }

  /** Dense histograms of all features for samples idx[start..end), g/h already gathered (in this.g / this.h). */
  build(hist: Float64Array, start: number, end: number): void {
    const s = this.scratch;
    s.view.fill(0);
    const idx = this.idxA.ptr + start * 4;
    if (this.hA) this.arena.kernels.histGH(s.ptr, this.off.ptr, 0, this.p, this.rowBins.ptr, this.p, idx, end - start, this.gA.ptr, this.hA.ptr);
    else this.arena.kernels.histG(s.ptr, this.off.ptr, 0, this.p, this.rowBins.ptr, this.p, idx, end - start, this.gA.ptr);
    hist.set(s.view);
  }
}
