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
 * Dense (all bins) gradient histograms of features [f0, f1) for samples idx[start..end), reading
 * the **row-major** bins (bin of feature f in row i at rowBins[i·p + f]), four features per pass
 * over the samples. Each bin sums its samples
 * in sample order, as the column-wise loops do, so the sums are bit-identical.
 */
export function buildDense(
  hist: Float64Array, off: Int32Array, f0: number, f1: number, rowBins: Uint8Array, p: number,
  idx: Uint32Array, start: number, end: number, g: Float64Array, h: Float64Array | null,
): void {
  hist.fill(0, off[f0], off[f1]);
  if (h) rowsGH(hist, off, f0, f1, rowBins, p, idx, start, end, g, h);
  else rowsG(hist, off, f0, f1, rowBins, p, idx, start, end, g);
}

// Features go four at a time: four histograms (4 × 255 bins × 24 bytes) stay in L1 while the
// samples stream past, the loop body is unrolled, and a sample's row is read once per group.
function rowsGH(hist: Float64Array, off: Int32Array, f0: number, f1: number, rowBins: Uint8Array, p: number, idx: Uint32Array, start: number, end: number, g: Float64Array, h: Float64Array): void {
  const m = end - start;
  let f = f0;
  for (; f + 3 < f1; f += 4) {
    const o0 = off[f];
    const o1 = off[f + 1];
    const o2 = off[f + 2];
    const o3 = off[f + 3];
    for (let q = 0; q < m; q++) {
      const r = idx[start + q] * p + f;
      const gq = g[q];
      const hq = h[q];
      let b = o0 + rowBins[r] * 3;
      hist[b] += gq;
      hist[b + 1] += hq;
      hist[b + 2] += 1;
      b = o1 + rowBins[r + 1] * 3;
      hist[b] += gq;
      hist[b + 1] += hq;
      hist[b + 2] += 1;
      b = o2 + rowBins[r + 2] * 3;
      hist[b] += gq;
      hist[b + 1] += hq;
      hist[b + 2] += 1;
      b = o3 + rowBins[r + 3] * 3;
      hist[b] += gq;
      hist[b + 1] += hq;
      hist[b + 2] += 1;
    }
  }
  for (; f < f1; f++) {
    const o = off[f];
    for (let q = 0; q < m; q++) {
      const b = o + rowBins[idx[start + q] * p + f] * 3;
      hist[b] += g[q];
      hist[b + 1] += h[q];
      hist[b + 2] += 1;
    }
  }
}

function rowsG(hist: Float64Array, off: Int32Array, f0: number, f1: number, rowBins: Uint8Array, p: number, idx: Uint32Array, start: number, end: number, g: Float64Array): void {
  const m = end - start;
  let f = f0;
  for (; f + 3 < f1; f += 4) {
    const o0 = off[f];
    const o1 = off[f + 1];
    const o2 = off[f + 2];
    const o3 = off[f + 3];
    for (let q = 0; q < m; q++) {
      const r = idx[start + q] * p + f;
      const gq = g[q];
      let b = o0 + rowBins[r] * 2;
      hist[b] += gq;
      hist[b + 1] += 1;
      b = o1 + rowBins[r + 1] * 2;
      hist[b] += gq;
      hist[b + 1] += 1;
      b = o2 + rowBins[r + 2] * 2;
      hist[b] += gq;
      hist[b + 1] += 1;
      b = o3 + rowBins[r + 3] * 2;
      hist[b] += gq;
      hist[b + 1] += 1;
    }
  }
  for (; f < f1; f++) {
    const o = off[f];
    for (let q = 0; q < m; q++) {
      const b = o + rowBins[idx[start + q] * p + f] * 2;
      hist[b] += g[q];
      hist[b + 1] += 1;
    }
  }
}

/**
 * Dense histograms of every feature for growTree's "grad" targets, built from a row-major copy of
 * the binned matrix (see buildDense). Owns the arrays growTree then uses: the sample order `idx`
 * and the gathered gradients/hessians `g` / `h`. (A second worker thread for half of the features
 * was tried: on the shared 2-vCPU benchmark machine both halves then ran at half speed, no gain.)
 */
export class HistHelper {
  /** Row-major copy of the binned matrix. */
  readonly rowBins: Uint8Array;
  readonly idx: Uint32Array;
  readonly g: Float64Array;
  readonly h: Float64Array | null;
  private readonly off: Int32Array;
  private readonly p: number;

  /** For growTree's "grad" histograms: (g, h, count) per bin with hessians, else (g, count). */
  constructor(bins: Uint8Array, n: number, nBins: Int32Array, withHessian: boolean) {
    const p = nBins.length;
    this.p = p;
    const C = withHessian ? 3 : 2;
    const off = new Int32Array(p + 1);
    for (let f = 0; f < p; f++) off[f + 1] = off[f] + nBins[f] * C;
    this.off = off;
    const rb = new Uint8Array(n * p);
    for (let f = 0; f < p; f++) {
      const col = f * n;
      for (let i = 0, r = f; i < n; i++, r += p) rb[r] = bins[col + i];
    }
    this.rowBins = rb;
    this.idx = new Uint32Array(n);
    this.g = new Float64Array(n);
    this.h = withHessian ? new Float64Array(n) : null;
  }

  /** Size of a full histogram (all features), to check that the caller lays it out the same way. */
  get histSize(): number {
    return this.off[this.p];
  }

  /** Dense histograms of all features for samples idx[start..end), g/h already gathered (in this.g / this.h). */
  build(hist: Float64Array, start: number, end: number): void {
    buildDense(hist, this.off, 0, this.p, this.rowBins, this.p, this.idx, start, end, this.g, this.h);
  }
}
