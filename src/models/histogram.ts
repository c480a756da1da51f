import { KernelArena, type ArenaArray } from "../wasm/KernelArena.js";
import { HistogramThread } from "./boosting/HistogramThread.js";
import { OP, SCAN_AT } from "./boosting/jobBlock.js";

/** What a split scan needs besides the histogram: the node's totals and the tree's limits (see growTree). */
export interface SplitScan {
  G: number;
  H: number;
  m: number;
  lambda: number;
  minLeaf: number;
  minH: number;
}

/**
 * Nodes with at least this many samples have their histograms built on two threads when the fit
 * has a second one: below, handing the job over costs more than the half it saves. Fixed, so the
 * choice depends on the data only (and the models do not depend on it at all).
 */
const THREAD_MIN_ROWS = 2048;

/**
 * hist[o + 3·bin] += (g, h, 1) over samples idx[start..end), whose g and h are gathered in order
 * (g[0] is sample idx[start]). A small monomorphic function so that V8 compiles a tight loop.
 */
export function histGH(
  hist: Float64Array,
  o: number,
  bins: Uint8Array,
  col: number,
  idx: Uint32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
): void {
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

/** Histograms kept in the kernels' memory, so the kernels fill them in place: at most this many, and this many bytes. */
const RESERVED_HISTS = 40;
const RESERVED_BYTES = 64 * 2 ** 20;

/**
 * Dense histograms of every feature for growTree's "grad" targets (gradient boosting), built by
 * the WebAssembly kernels histGH / histG (src/wasm/kernels.wat) from a row-major copy of the
 * binned matrix: four features per pass over the node's samples, so four histograms (4 × 255
 * bins × 24 bytes) stay in L1 while a sample's row is read once per group, with SIMD adds of
 * (g, h). Each bin sums its samples in sample order, as the column-wise loops above do, so the
 * sums are bit-identical. A node's rows are first copied next to each other (gatherRows), so
 * the passes read them in order; the root (every row, in order) reads the column-major bins
 * directly and starts from the per-bin counts of all rows, counted once per fit.
 *
 * With `threads` (a fit on many rows), the arena's memory is shared with a HistogramThread: the
 * histograms and split scans of the features [split, p) of large nodes, the root's included,
 * and half the rows' log-loss gradients are computed there while this thread does the rest.
 * Each feature's histogram is still summed by one thread in sample order, and the two halves'
 * best splits are merged with the tie-break the scan uses (the lower feature wins), so the trees
 * are the same bits either way.
 *
 * Owns the arrays growTree then uses, in the kernels' memory: the per-sample gradients and
 * hessians the caller fills (`gradients`, `hessians`), the sample order `idx`, and the node's
 * gradients gathered in that order (`g`, `h`).
 */
export class HistHelper {
  /** Histograms (histSize doubles each) free for reuse, kept across the trees of a boosting run. */
  readonly pool: Float64Array[] = [];
  readonly gradients: Float64Array;
  readonly hessians: Float64Array | null;
  /** The bins, column-major (as BinnedFeatures.bins), in the kernels' memory. */
  readonly columnBins: Uint8Array;
  /** A binary log-loss model's raw scores and 0/1 targets, per sample (see logLossGradients); null otherwise. */
  readonly scores: Float64Array | null;
  readonly targets: Float64Array | null;
  readonly idx: Uint32Array;
  readonly g: Float64Array;
  readonly h: Float64Array | null;
  private readonly arena: KernelArena;
  private readonly rowBins: ArenaArray<Uint8Array>;
  /** A node's rows of bins, gathered one after another (rowStride bytes each), for its histogram passes. */
  private readonly nodeRows: ArenaArray<Uint8Array>;
  private readonly rowStride: number;
  /**
   * With a second thread: the other thread's features' bytes of a node's rows (theirStride bytes
   * each), and the bytes of this thread's own features per row in nodeRows (myStride).
   */
  private readonly theirRows: ArenaArray<Uint8Array>;
  private readonly theirStride: number;
  private readonly myStride: number;
  /** 0, 1, …, n − 1: the sample indices of rows already in order (nodeRows). */
  private readonly sequence: ArenaArray<Uint32Array>;
  /** The bins column-major as well: a partition reads one feature's bins for scattered samples. */
  private readonly colBins: ArenaArray<Uint8Array>;
  private readonly n: number;
  private readonly gradA: ArenaArray<Float64Array>;
  private readonly hessA: ArenaArray<Float64Array> | null;
  private readonly idxA: ArenaArray<Uint32Array>;
  private readonly gA: ArenaArray<Float64Array>;
  private readonly hA: ArenaArray<Float64Array> | null;
  private readonly off: ArenaArray<Int32Array>;
  private readonly scratch: ArenaArray<Float64Array>;
  private readonly tmp: ArenaArray<Uint32Array>;
  private readonly scoresA: ArenaArray<Float64Array> | null;
  private readonly targetsA: ArenaArray<Float64Array> | null;
  /** scanGH's result: gain, bin, GL, HL, nL, non-empty bins. */
  readonly scanOut: Float64Array;
  private readonly scanOutA: ArenaArray<Float64Array>;
  private readonly p: number;
  /** Doubles per bin: (g, h, count) or (g, count). */
  private readonly C: number;
  /** Every row's counts per bin, the rest zero: the root histogram before its gradients are added (built on first use). */
  private rootCounts: Float64Array | null = null;
  /** True from resetOrder until the next partition: idx is known to be 0, 1, …, n − 1 (otherwise build checks). */
  private inOrder = false;
  /** How many more histograms newHist may still carve from the arena. */
  private reserve: number;
  /** The bins per feature, for scanFeatures. */
  private readonly nBinsA: ArenaArray<Int32Array>;
  /** scanFeatures' results on this thread and on the other (gain, feature, bin, GL, HL, nL, then its scratch). */
  private readonly outA: ArenaArray<Float64Array>;
  private readonly outB: ArenaArray<Float64Array>;
  /** The best split found by the last build, subtract or scanAll given a SplitScan: gain, feature (−1: none), bin, GL, HL, nL. */
  readonly best = new Float64Array(6);
  private readonly thread: HistogramThread | null;
  /** The first feature the other thread takes. */
  private readonly split: number;
  /** Integer arguments of a job, reused. */
  private readonly job = new Array<number>(SCAN_AT + 4).fill(0);
  private readonly scanDoubles = new Array<number>(6).fill(0);

  /**
   * For growTree's "grad" histograms: (g, h, count) per bin with hessians, else (g, count).
   * `binaryScores` also keeps the raw scores and targets of a binary log-loss model here. With
   * `bins` null, the caller writes the column-major bins into `columnBins` (applyBins can, with no
   * copy on the heap) and then calls `transposeBins`.
   */
  constructor(bins: Uint8Array | null, n: number, nBins: Int32Array, withHessian: boolean, binaryScores = false, threads = 1) {
    const p = nBins.length;
    this.p = p;
    const C = withHessian ? 3 : 2;
    this.C = C;
    let histSize = 0;
    for (let f = 0; f < p; f++) histSize += nBins[f] * C;
    this.reserve = Math.max(0, Math.min(RESERVED_HISTS, Math.floor(RESERVED_BYTES / (histSize * 8))));
    const t = HistogramThread.arenaCounts;
    this.arena = new KernelArena(
      KernelArena.bytesFor({
        u8: 2 * n * p + 8 + n * Math.ceil(p / 8) * 8 + (threads > 1 ? n * Math.ceil((p - (p >> 1)) / 8) * 8 : 0),
        f64: (withHessian ? 4 : 2) * n + (binaryScores ? 2 * n : 0) + (1 + this.reserve) * histSize + 6 + 24 + t.f64,
        u32: 3 * n,
        i32: 2 * p + 1 + t.i32,
        arrays: 20 + this.reserve + t.arrays,
      }),
      threads > 1,
    );
    const a = this.arena;
    this.off = a.i32(p + 1);
    for (let f = 0; f < p; f++) this.off.view[f + 1] = this.off.view[f] + nBins[f] * C;
    this.n = n;
    this.colBins = a.u8(n * p);
    this.columnBins = this.colBins.view;
    // Eight bytes to spare after the last row: gatherRows reads rows eight bytes at a time.
    this.rowBins = a.u8(n * p + 8);
    this.rowStride = Math.ceil(p / 8) * 8;
    this.nodeRows = a.u8(n * this.rowStride);
    this.split = p >> 1;
    this.myStride = Math.ceil(this.split / 8) * 8;
    this.theirStride = Math.ceil((p - this.split) / 8) * 8;
    this.theirRows = a.u8(threads > 1 ? n * this.theirStride : 0);
    this.sequence = a.u32(n);
    for (let i = 0; i < n; i++) this.sequence.view[i] = i;
    this.gradA = a.f64(n);
    this.hessA = withHessian ? a.f64(n) : null;
    this.idxA = a.u32(n);
    this.gA = a.f64(n);
    this.hA = withHessian ? a.f64(n) : null;
    this.scratch = a.f64(histSize);
    this.tmp = a.u32(n);
    this.scoresA = binaryScores ? a.f64(n) : null;
    this.targetsA = binaryScores ? a.f64(n) : null;
    this.scores = this.scoresA?.view ?? null;
    this.targets = this.targetsA?.view ?? null;
    this.scanOutA = a.f64(6);
    this.scanOut = this.scanOutA.view;
    this.nBinsA = a.i32(p);
    this.nBinsA.view.set(nBins);
    this.outA = a.f64(12);
    this.outB = a.f64(12);
    this.thread = threads > 1 && p >= 2 ? HistogramThread.start(a) : null;
    this.gradients = this.gradA.view;
    this.hessians = this.hessA ? this.hessA.view : null;
    this.idx = this.idxA.view;
    this.g = this.gA.view;
    this.h = this.hA ? this.hA.view : null;
    if (bins) {
      this.columnBins.set(bins.subarray(0, n * p));
      this.transposeBins();
    }
  }

  /** Copies `columnBins` into the row-major layout the histogram kernels read: after the caller wrote the bins. */
  transposeBins(): void {
    const { n, p } = this;
    const cb = this.columnBins;
    const rb = this.rowBins.view;
    for (let f = 0; f < p; f++) {
      const col = f * n;
      for (let i = 0, r = f; i < n; i++, r += p) rb[r] = cb[col + i];
    }
  }

  /** Size of a full histogram (all features), to check that the caller lays it out the same way. */
  get histSize(): number {
    return this.off.view[this.p];
  }

  /** A new histogram, in the kernels' memory while the reserve lasts (then build needs no copy), else on the heap. */
  newHist(): Float64Array {
    if (this.reserve === 0) return new Float64Array(this.histSize);
    this.reserve--;
    return this.arena.f64(this.histSize).view;
  }

  /** gradients and hessians of the binary log-loss at `scores` against `targets`: p = σ(score), g = p − y, h = p(1 − p). */
  logLossGradients(): void {
    if (!this.scoresA || !this.targetsA || !this.hessA) throw new Error("HistHelper: logLossGradients needs binaryScores and hessians");
    const n = this.n;
    const t = this.parallel(n);
    // Row by row, each on its own: the other thread takes the second half of the rows.
    const mine = t ? n >> 1 : n;
    if (t) {
      const j = this.job;
      const at = mine * 8;
      j[0] = this.scoresA.ptr + at;
      j[1] = this.targetsA.ptr + at;
      j[2] = this.gradA.ptr + at;
      j[3] = this.hessA.ptr + at;
      j[4] = n - mine;
      t.post(OP.gradients, j, null);
    }
    this.arena.kernels.logLossGradients(this.scoresA.ptr, this.targetsA.ptr, this.gradA.ptr, this.hessA.ptr, mine);
    t?.wait();
  }

  /** Whether the second thread has started and is free (tests wait for it). */
  get threadReady(): boolean {
    return this.thread?.ready ?? false;
  }

  /** Ends the fit's second thread, if any (its thread ends soon after); the helper then works on this thread alone. */
  close(): void {
    this.thread?.close();
  }

  /** The second thread when it is free and a job of `m` samples is worth handing over, else null. */
  private parallel(m: number): HistogramThread | null {
    return this.thread !== null && m >= THREAD_MIN_ROWS && this.thread.ready ? this.thread : null;
  }

  /**
   * Sets idx to 0, 1, …, n − 1 (every row in order, as at the root of every boosting tree) and
   * remembers that it is, so the root's histograms need no pass over idx to find out.
   */
  resetOrder(): void {
    this.idx.set(this.sequence.view);
    this.inOrder = true;
  }

  /** g[q] = gradients[idx[start + q]] (and h from hessians) for the samples [start, end). */
  gather(start: number, end: number): void {
    this.arena.kernels.gather(this.idxA.ptr + start * 4, end - start, this.gradA.ptr, this.hessA?.ptr ?? 0, this.gA.ptr, this.hA?.ptr ?? 0);
  }

  /** Stable partition of samples idx[start..end): bin of feature f ≤ bin first. Returns the split point. */
  partition(start: number, end: number, f: number, bin: number): number {
    this.inOrder = false;
    return start + this.arena.kernels.partition(this.idxA.ptr + start * 4, end - start, this.colBins.ptr + f * this.n, bin, this.tmp.ptr);
  }

  /**
   * out = parent − sibling over whole histograms, by a kernel, then (given `scan`) the best split
   * of `out` into `best`; false (nothing done) unless all three are in the kernels' memory.
   * `m` (the node's samples) decides whether the other thread takes half the features.
   */
  subtract(out: Float64Array, parent: Float64Array, sibling: Float64Array, scan: SplitScan | null = null): boolean {
    const buf = this.arena.memory.buffer;
    if (out.buffer !== buf || parent.buffer !== buf || sibling.buffer !== buf) return false;
    const t = scan ? this.parallel(scan.m) : null;
    const mine = t ? this.split : this.p;
    const off = this.off.view;
    if (t) {
      const j = this.job;
      j[0] = out.byteOffset;
      j[1] = parent.byteOffset;
      j[2] = sibling.byteOffset;
      j[3] = off[mine];
      j[4] = this.histSize - off[mine];
      j[5] = this.off.ptr;
      j[6] = mine;
      j[7] = this.p;
      this.postScan(t, OP.subtract, scan!);
    }
    this.arena.kernels.subtract(out.byteOffset, parent.byteOffset, sibling.byteOffset, off[mine]);
    if (scan) this.scanMine(out, scan, mine, t);
    return true;
  }

  /** The best split of a node's dense histogram `hist` into `best` (scanFeatures over every feature); false when `hist` is not in the kernels' memory. */
  scanAll(hist: Float64Array, scan: SplitScan): boolean {
    if (hist.buffer !== this.arena.memory.buffer) return false;
    this.scanMine(hist, scan, this.p, null);
    return true;
  }

  /** Posts `op` (its arguments already in job[0..SCAN_AT)) with a scan of the other thread's features of its histogram into outB. */
  private postScan(t: HistogramThread, op: number, scan: SplitScan): void {
    const j = this.job;
    j[SCAN_AT] = this.C;
    j[SCAN_AT + 1] = this.nBinsA.ptr;
    j[SCAN_AT + 2] = this.C === 3 ? 1 : this.C - 1;
    j[SCAN_AT + 3] = this.outB.ptr;
    const d = this.scanDoubles;
    d[0] = scan.G;
    d[1] = scan.H;
    d[2] = scan.m;
    d[3] = scan.lambda;
    d[4] = scan.minLeaf;
    d[5] = scan.minH;
    t.post(op, j, d);
  }

  /**
   * Scans features [0, mine) of `hist` here; with `t`, waits for the other thread's scan of the
   * rest and keeps the better (the lower features on a tie, as one scan in feature order would).
   */
  private scanMine(hist: Float64Array, scan: SplitScan, mine: number, t: HistogramThread | null): void {
    const C = this.C;
    const hIdx = C === 3 ? 1 : C - 1;
    const a = this.outA.view;
    this.arena.kernels.scanFeatures(
      hist.byteOffset,
      this.off.ptr,
      this.nBinsA.ptr,
      0,
      mine,
      C,
      hIdx,
      scan.G,
      scan.H,
      scan.m,
      scan.lambda,
      scan.minLeaf,
      scan.minH,
      this.outA.ptr,
    );
    let from = a;
    if (t) {
      t.wait();
      const b = this.outB.view;
      if (b[0] > a[0]) from = b;
    }
    for (let k = 0; k < 6; k++) this.best[k] = from[k];
  }

  /**
   * The best split of feature histogram [o, o + nb·C) of `hist` by the kernel scanGH, into
   * scanOut; false (nothing done) when `hist` is not in the kernels' memory.
   */
  scan(
    hist: Float64Array,
    o: number,
    nb: number,
    C: number,
    hIdx: number,
    G: number,
    H: number,
    m: number,
    lambda: number,
    minLeaf: number,
    minH: number,
  ): boolean {
    if (hist.buffer !== this.arena.memory.buffer) return false;
    this.arena.kernels.scanGH(hist.byteOffset + o * 8, nb, C, hIdx, G, H, m, lambda, minLeaf, minH, this.scanOutA.ptr);
    return true;
  }

  /**
   * Dense histograms of all features for samples idx[start..end) (gathers their g/h first), then,
   * given `scan` and a histogram in the kernels' memory, its best split into `best`: true when
   * it scanned.
   */
  build(hist: Float64Array, start: number, end: number, scan: SplitScan | null = null): boolean {
    // A histogram from newHist's reserve is filled in place; any other through the scratch one.
    const inPlace = hist.buffer === this.arena.memory.buffer;
    const target = inPlace ? hist : this.scratch.view;
    const t = inPlace && scan ? this.parallel(end - start) : null;
    const mine = t ? this.split : this.p;
    if (start === 0 && end === this.n && (this.inOrder || this.isIdentity())) this.buildRoot(target, mine, t, scan);
    else this.buildNode(target, start, end, mine, t, scan);
    if (!inPlace) {
      hist.set(target);
      return false;
    }
    if (scan) this.scanMine(target, scan, mine, t);
    return scan !== null;
  }

  /** True when idx lists every row in order, as at the root of every boosting tree. */
  private isIdentity(): boolean {
    const idx = this.idx;
    for (let i = 0; i < this.n; i++) if (idx[i] !== i) return false;
    return true;
  }

  /**
   * The root's histograms: the counts of every row are the same for every tree, so they are
   * counted once and copied in, and the kernel only adds (g, h), row by row in order (no sample
   * indices, no gather). Each bin sums the same values in the same order as buildNode would:
   * the same bits.
   */
  private buildRoot(target: Float64Array, mine: number, t: HistogramThread | null, scan: SplitScan | null): void {
    if (!this.rootCounts) {
      const C = this.C;
      const off = this.off.view;
      const counts = new Float64Array(this.histSize);
      const cb = this.columnBins;
      for (let f = 0; f < this.p; f++) {
        const col = f * this.n;
        const o = off[f] + C - 1;
        for (let i = 0; i < this.n; i++) counts[o + cb[col + i] * C] += 1;
      }
      this.rootCounts = counts;
    }
    target.set(this.rootCounts);
    const args = [target.byteOffset, this.off.ptr, 0, this.p, this.colBins.ptr, this.n, this.gradA.ptr, this.hessA?.ptr ?? 0, this.C] as const;
    if (t) {
      const j = this.job;
      for (let k = 0; k < args.length; k++) j[k] = args[k];
      j[2] = mine;
      this.postScan(t, OP.root, scan!);
    }
    this.arena.kernels.histRoot(args[0], args[1], 0, mine, args[4], args[5], args[6], args[7], args[8]);
  }

  private buildNode(target: Float64Array, start: number, end: number, mine: number, t: HistogramThread | null, scan: SplitScan | null): void {
    this.gather(start, end);
    target.fill(0);
    // The node's rows copied next to each other first: one scattered read of each row instead
    // of one per group of four features (same samples, same order, so the same sums).
    const m = end - start;
    const k = this.arena.kernels;
    const rows = this.nodeRows.ptr;
    const seq = this.sequence.ptr;
    const idx = this.idxA.ptr + start * 4;
    let stride = this.rowStride;
    if (t) {
      // Each thread copies only its own features' bytes of the node's rows (its own buffer), so
      // the copy is split between the threads too.
      const j = this.job;
      j[0] = target.byteOffset;
      j[1] = this.off.ptr;
      j[2] = mine;
      j[3] = this.p;
      j[4] = this.theirRows.ptr;
      j[5] = this.theirStride;
      j[6] = seq;
      j[7] = m;
      j[8] = this.gA.ptr;
      j[9] = this.hA?.ptr ?? 0;
      j[10] = idx;
      j[11] = this.rowBins.ptr;
      this.postScan(t, OP.nodeRows, scan!);
      stride = this.myStride;
    }
    k.gatherRows(idx, m, this.rowBins.ptr, this.p, stride, rows);
    if (this.hA) k.histGH(target.byteOffset, this.off.ptr, 0, mine, rows, stride, seq, m, this.gA.ptr, this.hA.ptr);
    else k.histG(target.byteOffset, this.off.ptr, 0, mine, rows, stride, seq, m, this.gA.ptr);
  }
}
