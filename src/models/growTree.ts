import type { BinnedFeatures } from "./binFeatures.js";
import { histG, histGH, type HistHelper, type SplitScan } from "./histogram.js";

/**
 * What a tree fits. "class": class counts per node, split by Gini or entropy (decision trees and
 * forests). "grad": gradient/hessian sums, split by the second-order gain
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), leaf value −G/(H+λ). With g = −y and h = 1 (pass
 * `h: null`) this is the squared-error regression tree (leaf = mean, gain = reduction of the sum of
 * squares), so regression trees and gradient boosting share one builder.
 */
export type TreeTarget =
  | { kind: "class"; y: Int32Array; nClasses: number; criterion: "gini" | "entropy" }
  | { kind: "grad"; g: Float64Array; h: Float64Array | null; l2: number; minHessian: number };

export interface GrowOptions {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features drawn (without replacement) per node, 1..cols; cols means all, in a fixed order. */
  maxFeatures: number;
  /** Leaf-wise (best-first) growth up to this many leaves; Infinity grows depth-first without a limit. */
  maxLeafNodes: number;
  rand: () => number;
  /**
   * "grad" targets only: builds the dense histograms from row-major bins. `samples` must then be
   * `helper.idx`, the target's g / h `helper.gradients` / `helper.hessians`, and the gathered
   * g/h live in the helper.
   */
  helper?: HistHelper;
  /**
   * Nodes with at least this many samples get dense histograms (all bins), smaller ones sparse
   * ones (only the bins their samples touch). Default: the largest bin count.
   */
  denseMin?: number;
}

/** A grown tree as flat arrays; node 0 is the root, a leaf has feature −1. */
export interface GrownTree {
  nodeCount: number;
  feature: Int32Array;
  /** Raw-value threshold: x ≤ threshold goes left. */
  threshold: Float64Array;
  /** The same split on binned data: bin ≤ binThreshold goes left. */
  binThreshold: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** nodeCount × nOut: class fractions, or −G/(H+λ). Set on every node, used on leaves. */
  value: Float64Array;
  nOut: number;
  /** Gain of the split (the impurity decrease × samples, or the second-order gain); 0 on leaves. */
  gain: Float64Array;
  /** Training samples (with bootstrap repeats) that reached the node. */
  count: Int32Array;
  /** The training samples, partitioned so that node k holds samples[start[k] .. end[k]). */
  samples: Uint32Array;
  start: Int32Array;
  end: Int32Array;
}

interface OpenNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  hist: Float64Array | null;
  /** hist is valid on every bin of every feature (not only the bins the node's samples fall in). */
  dense: boolean;
  totals: Float64Array;
  /** The totals of the samples the chosen split sends left (so the children need no pass to sum themselves). */
  leftTotals: Float64Array | null;
  feature: number;
  bin: number;
  gain: number;
}

/**
 * Grows one tree on binned data. `samples` lists the training rows (repeats allowed, as a
 * bootstrap draws them) and is permuted in place. Split search is one pass over the node's
 * samples per feature into a histogram plus one pass over at most 256 bins: O(n) per feature per
 * node. A child's histogram is the parent's minus its sibling's ("subtraction trick") when all
 * features are used. Nodes with fewer samples than bins build sparse histograms (only the bins
 * their samples touch) so that deep trees do not pay 256 bins per tiny node.
 */
export function growTree(data: BinnedFeatures, samples: Uint32Array, target: TreeTarget, options: GrowOptions): GrownTree {
  return new TreeGrower(data, samples, target, options).grow();
}

class TreeGrower {
  private readonly n: number;
  private readonly p: number;
  private readonly C: number;
  private readonly off: Int32Array;
  private readonly histSize: number;
  private readonly maxNb: number;
  /** Histograms no node holds any more, for reuse (the helper's, shared by every tree of a boosting run). */
  private readonly pool: Float64Array[];
  private readonly scratch: Uint32Array;
  private readonly seen = new Uint8Array(256);
  private readonly binList = new Int32Array(256);
  private readonly featureOrder: Int32Array;
  /** The node's per-sample statistics gathered in sample order, so histogram loops read them sequentially. */
  private readonly yOrd: Int32Array;
  private readonly gOrd: Float64Array;
  private readonly hOrd: Float64Array;
  private readonly isClass: boolean;
  private readonly y: Int32Array;
  private readonly g: Float64Array;
  private readonly h: Float64Array | null;
  private readonly hIdx: number;
  private readonly cntIdx: number;
  private readonly nOut: number;
  // Output, grown as nodes are created.
  private feature: number[] = [];
  private threshold: number[] = [];
  private binThreshold: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];
  private gain: number[] = [];
  private count: number[] = [];
  private start: number[] = [];
  private end: number[] = [];

  constructor(
    private readonly data: BinnedFeatures,
    private readonly idx: Uint32Array,
    private readonly target: TreeTarget,
    private readonly o: GrowOptions,
  ) {
    this.n = data.rows;
    this.p = data.cols;
    if (target.kind === "class") {
      this.isClass = true;
      this.C = target.nClasses;
      this.y = target.y;
      this.g = new Float64Array(0);
      this.h = null;
      this.hIdx = -1;
      this.cntIdx = -1;
      this.nOut = target.nClasses;
    } else {
      this.isClass = false;
      this.y = new Int32Array(0);
      this.g = target.g;
      this.h = target.h;
      this.C = target.h ? 3 : 2;
      this.cntIdx = this.C - 1;
      this.hIdx = target.h ? 1 : this.cntIdx;
      this.nOut = 1;
    }
    this.off = new Int32Array(this.p + 1);
    let maxNb = 0;
    for (let f = 0; f < this.p; f++) {
      this.off[f + 1] = this.off[f] + data.nBins[f] * this.C;
      maxNb = Math.max(maxNb, data.nBins[f]);
    }
    this.maxNb = maxNb;
    this.histSize = this.off[this.p];
    this.scratch = new Uint32Array(idx.length);
    this.featureOrder = new Int32Array(this.p);
    const len = idx.length;
    this.yOrd = new Int32Array(this.isClass ? len : 0);
    const helper = o.helper;
    if (helper && (this.isClass || helper.idx !== idx || helper.histSize !== this.histSize || helper.gradients !== this.g || helper.hessians !== this.h)) {
      throw new Error("growTree: the histogram helper does not match this tree's data");
    }
    this.pool = helper ? helper.pool : [];
    this.gOrd = helper ? helper.g : new Float64Array(this.isClass ? 0 : len);
    this.hOrd = helper?.h ? helper.h : new Float64Array(this.h ? len : 0);
    for (let f = 0; f < this.p; f++) this.featureOrder[f] = f;
  }

  grow(): GrownTree {
    const m = this.idx.length;
    const root = this.createNode(0, m, 0, this.totals(0, m), null, null);
    const unlimited = !Number.isFinite(this.o.maxLeafNodes);
    const open: OpenNode[] = [];
    let leaves = 1;
    const settle = (node: OpenNode) => {
      if (node.feature >= 0) open.push(node);
      else this.release(node);
    };
    settle(root);
    while (open.length > 0) {
      if (!unlimited && leaves >= this.o.maxLeafNodes) {
        // The leaf budget is spent: every open node stays a leaf.
        for (const node of open) {
          this.feature[node.id] = -1;
          this.release(node);
        }
        break;
      }
      let node: OpenNode;
      if (unlimited) node = open.pop()!;
      else {
        let best = 0;
        for (let k = 1; k < open.length; k++) if (open[k].gain > open[best].gain) best = k;
        node = open[best];
        open[best] = open[open.length - 1];
        open.pop();
      }
      leaves++;
      const mid = this.partition(node);
      // The smaller child is built from its samples; the larger one, where possible, from the parent.
      const leftSmaller = mid - node.start <= node.end - mid;
      const canSubtract = node.dense && node.hist !== null;
      // The children's totals come from the split: left as the scan summed it, right the rest.
      const leftTotals = node.leftTotals!;
      const rightTotals = new Float64Array(leftTotals.length);
      for (let k = 0; k < leftTotals.length; k++) rightTotals[k] = node.totals[k] - leftTotals[k];
      const first = leftSmaller
        ? this.createNode(node.start, mid, node.depth + 1, leftTotals, null, null)
        : this.createNode(mid, node.end, node.depth + 1, rightTotals, null, null);
      const second = leftSmaller
        ? this.createNode(mid, node.end, node.depth + 1, rightTotals, canSubtract ? node : null, first)
        : this.createNode(node.start, mid, node.depth + 1, leftTotals, canSubtract ? node : null, first);
      const leftNode = leftSmaller ? first : second;
      const rightNode = leftSmaller ? second : first;
      this.left[node.id] = leftNode.id;
      this.right[node.id] = rightNode.id;
      this.release(node);
      // Depth-first: push right then left so the left subtree is finished first.
      settle(rightNode);
      settle(leftNode);
    }
    const nodeCount = this.feature.length;
    return {
      nodeCount,
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      binThreshold: Int32Array.from(this.binThreshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      nOut: this.nOut,
      gain: Float64Array.from(this.gain),
      count: Int32Array.from(this.count),
      samples: this.idx,
      start: Int32Array.from(this.start),
      end: Int32Array.from(this.end),
    };
  }

  private release(node: OpenNode): void {
    if (node.hist) this.pool.push(node.hist);
    node.hist = null;
  }

  private takeHist(): Float64Array {
    return this.pool.pop() ?? this.o.helper?.newHist() ?? new Float64Array(this.histSize);
  }

  /**
   * Creates the node for samples [start, end), records it in the output, and finds its best
   * split (feature −1 when it stays a leaf). With `parent` and `sibling`, the histogram is the
   * parent's minus the sibling's samples.
   */
  private createNode(start: number, end: number, depth: number, totals: Float64Array, parent: OpenNode | null, sibling: OpenNode | null): OpenNode {
    const m = end - start;
    const id = this.feature.length;
    this.feature.push(-1);
    this.threshold.push(0);
    this.binThreshold.push(-1);
    this.left.push(-1);
    this.right.push(-1);
    this.gain.push(0);
    this.count.push(m);
    this.start.push(start);
    this.end.push(end);
    if (this.isClass) for (let k = 0; k < this.C; k++) this.value.push(totals[k] / m);
    else {
      const t = this.target as Extract<TreeTarget, { kind: "grad" }>;
      this.value.push(-totals[0] / (totals[this.hIdx] + t.l2));
    }
    const node: OpenNode = { id, start, end, depth, hist: null, dense: false, totals, leftTotals: null, feature: -1, bin: -1, gain: 0 };
    if (!this.splittable(node)) return node;

    const p = this.p;
    const allFeatures = this.o.maxFeatures >= p;
    let bestGain = -Infinity;
    let bestFeature = -1;
    let bestBin = -1;
    if (allFeatures) {
      const hist = this.takeHist();
      node.hist = hist;
      const helper = this.o.helper;
      // With the helper, a dense histogram is scanned by the kernels (feature by feature, in
      // order, as the loop below), on the thread that built it where there are two.
      const scan = helper ? this.splitScan(totals, m) : null;
      let scanned = false;
      if (parent && sibling && parent.hist) {
        if (sibling.dense && sibling.hist) {
          // The subtraction trick proper: bin by bin, no pass over samples.
          const ph = parent.hist;
          const sh = sibling.hist;
          if (helper?.subtract(hist, ph, sh, scan)) scanned = true;
          else {
            const size = this.histSize;
            for (let q = 0; q < size; q++) hist[q] = ph[q] - sh[q];
          }
        } else {
          for (let f = 0; f < p; f++) this.subtractFeature(hist, parent.hist, f, sibling.start, sibling.end);
        }
        node.dense = true;
      } else {
        node.dense = m >= (this.o.denseMin ?? this.maxNb);
        // The helper gathers the gradients itself, and only where it needs them (not at the root).
        if (helper && node.dense) scanned = helper.build(hist, start, end, scan);
        else {
          this.gather(start, end);
          for (let f = 0; f < p; f++) this.buildFeature(hist, f, start, end, node.dense);
        }
      }
      if (!scanned && helper && scan && node.dense) scanned = helper.scanAll(hist, scan);
      if (scanned) {
        const b = helper!.best;
        if (b[1] >= 0) {
          bestGain = b[0];
          bestFeature = b[1];
          bestBin = b[2];
          const left = new Float64Array(this.C);
          left[0] = b[3];
          left[this.hIdx] = b[4];
          left[this.cntIdx] = b[5];
          node.leftTotals = left;
        }
      } else {
        for (let f = 0; f < p; f++) {
          const r = this.scanFeature(hist, f, node, node.dense);
          if (r.gain > bestGain) {
            bestGain = r.gain;
            bestFeature = f;
            bestBin = r.bin;
            node.leftTotals = Float64Array.from(r.left);
          }
        }
      }
    } else {
      // Draw features at random until maxFeatures non-constant ones were searched (scikit-learn's rule).
      const hist = this.takeHist();
      const order = this.featureOrder;
      const dense = m >= this.maxNb;
      this.gather(start, end);
      let visited = 0;
      for (let k = 0; k < p && visited < this.o.maxFeatures; k++) {
        const j = k + Math.floor(this.o.rand() * (p - k));
        const f = order[j];
        order[j] = order[k];
        order[k] = f;
        this.buildFeature(hist, f, start, end, dense);
        const r = this.scanFeature(hist, f, node, dense);
        if (!r.constant) visited++;
        if (r.gain > bestGain) {
          bestGain = r.gain;
          bestFeature = f;
          bestBin = r.bin;
          node.leftTotals = Float64Array.from(r.left);
        }
      }
      this.pool.push(hist);
    }
    if (bestFeature >= 0) {
      node.feature = bestFeature;
      node.bin = bestBin;
      node.gain = bestGain;
      this.feature[id] = bestFeature;
      this.binThreshold[id] = bestBin;
      this.threshold[id] = this.data.thresholds[bestFeature][bestBin];
      this.gain[id] = bestGain;
    } else {
      this.release(node);
    }
    return node;
  }

  /** The scan arguments of a "grad" node with these totals and m samples. */
  private splitScan(totals: Float64Array, m: number): SplitScan {
    const t = this.target as Extract<TreeTarget, { kind: "grad" }>;
    return { G: totals[0], H: totals[this.hIdx], m, lambda: t.l2, minLeaf: this.o.minSamplesLeaf, minH: t.minHessian };
  }

  private splittable(node: OpenNode): boolean {
    const m = node.end - node.start;
    if (node.depth >= this.o.maxDepth || m < this.o.minSamplesSplit || m < 2 * this.o.minSamplesLeaf) return false;
    if (this.isClass) {
      for (let k = 0; k < this.C; k++) if (node.totals[k] === m) return false; // pure
    }
    return true;
  }

  private totals(start: number, end: number): Float64Array {
    const t = new Float64Array(this.C);
    const idx = this.idx;
    if (this.isClass) {
      const y = this.y;
      for (let i = start; i < end; i++) t[y[idx[i]]]++;
    } else {
      const g = this.g;
      let G = 0;
      let H = 0;
      if (this.h) {
        const h = this.h;
        for (let i = start; i < end; i++) {
          const s = idx[i];
          G += g[s];
          H += h[s];
        }
        t[1] = H;
      } else {
        for (let i = start; i < end; i++) G += g[idx[i]];
      }
      t[0] = G;
      t[this.cntIdx] = end - start;
    }
    return t;
  }

  /** Fills feature f's histogram from samples [start, end): all bins zeroed first if dense, else only the touched ones. */
  private buildFeature(hist: Float64Array, f: number, start: number, end: number, dense: boolean): void {
    const C = this.C;
    const o = this.off[f];
    const bins = this.data.bins;
    const col = f * this.n;
    const idx = this.idx;
    if (dense) hist.fill(0, o, this.off[f + 1]);
    else {
      for (let i = start; i < end; i++) {
        const b = o + bins[col + idx[i]] * C;
        for (let c = 0; c < C; c++) hist[b + c] = 0;
      }
    }
    if (this.isClass) {
      const y = this.yOrd;
      for (let i = start, q = 0; i < end; i++, q++) hist[o + bins[col + idx[i]] * C + y[q]] += 1;
    } else if (this.h) histGH(hist, o, bins, col, idx, start, end, this.gOrd, this.hOrd);
    else histG(hist, o, bins, col, idx, start, end, this.gOrd);
  }

  /** Copies the statistics of samples [start, end) into yOrd / gOrd / hOrd. */
  private gather(start: number, end: number): void {
    const idx = this.idx;
    if (this.isClass) {
      const y = this.y;
      const out = this.yOrd;
      for (let i = start, q = 0; i < end; i++, q++) out[q] = y[idx[i]];
      return;
    }
    if (this.o.helper) {
      this.o.helper.gather(start, end);
      return;
    }
    const g = this.g;
    const go = this.gOrd;
    for (let i = start, q = 0; i < end; i++, q++) go[q] = g[idx[i]];
    if (this.h) {
      const h = this.h;
      const ho = this.hOrd;
      for (let i = start, q = 0; i < end; i++, q++) ho[q] = h[idx[i]];
    }
  }

  /** hist(f) = parent(f) − the contributions of the sibling's samples [start, end). */
  private subtractFeature(hist: Float64Array, parent: Float64Array, f: number, start: number, end: number): void {
    const C = this.C;
    const o = this.off[f];
    hist.set(parent.subarray(o, this.off[f + 1]), o);
    const bins = this.data.bins;
    const col = f * this.n;
    const idx = this.idx;
    if (this.isClass) {
      const y = this.y;
      for (let i = start; i < end; i++) {
        const s = idx[i];
        hist[o + bins[col + s] * C + y[s]] -= 1;
      }
    } else if (this.h) {
      const g = this.g;
      const h = this.h;
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const b = o + bins[col + s] * 3;
        hist[b] -= g[s];
        hist[b + 1] -= h[s];
        hist[b + 2] -= 1;
      }
    } else {
      const g = this.g;
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const b = o + bins[col + s] * 2;
        hist[b] -= g[s];
        hist[b + 1] -= 1;
      }
    }
  }

  private readonly leftAcc = new Float64Array(64);
  /** The best split of the last feature scanned; `left` holds the totals of its left side (valid when bin ≥ 0). */
  private readonly scanResult = { gain: -Infinity, bin: -1, constant: true, left: new Float64Array(0) };

  /** Best split "bin ≤ b" of feature f for the node; gain −Infinity when there is none. */
  private scanFeature(hist: Float64Array, f: number, node: OpenNode, dense: boolean): { gain: number; bin: number; constant: boolean; left: Float64Array } {
    const C = this.C;
    const o = this.off[f];
    const nb = this.data.nBins[f];
    // The candidate bins, in order: every bin if dense, else the distinct bins of the node's samples.
    let list: Int32Array | null = null;
    let nList = nb;
    if (!dense) {
      const bins = this.data.bins;
      const col = f * this.n;
      const seen = this.seen;
      list = this.binList;
      nList = 0;
      for (let i = node.start; i < node.end; i++) {
        const b = bins[col + this.idx[i]];
        if (seen[b] === 0) {
          seen[b] = 1;
          list[nList++] = b;
        }
      }
      for (let k = 0; k < nList; k++) seen[list[k]] = 0;
      list.subarray(0, nList).sort();
    }
    const res = this.scanResult;
    res.gain = -Infinity;
    res.bin = -1;
    res.constant = true;
    if (res.left.length !== C) res.left = new Float64Array(C);
    const m = node.end - node.start;
    const minLeaf = this.o.minSamplesLeaf;
    const T = node.totals;
    let nonEmpty = 0;
    if (this.isClass) {
      const K = C;
      const L = this.leftAcc.length >= K ? this.leftAcc : new Float64Array(K);
      L.fill(0, 0, K);
      const entropy = (this.target as Extract<TreeTarget, { kind: "class" }>).criterion === "entropy";
      let parentScore = 0;
      if (entropy) {
        for (let k = 0; k < K; k++) if (T[k] > 0) parentScore += T[k] * Math.log(T[k]);
        parentScore -= m * Math.log(m);
      } else {
        for (let k = 0; k < K; k++) parentScore += T[k] * T[k];
        parentScore /= m;
      }
      let nL = 0;
      for (let q = 0; q < nList; q++) {
        const b = list ? list[q] : q;
        const base = o + b * K;
        let cnt = 0;
        for (let k = 0; k < K; k++) {
          const c = hist[base + k];
          L[k] += c;
          cnt += c;
        }
        if (cnt === 0) continue;
        nonEmpty++;
        nL += cnt;
        const nR = m - nL;
        if (nL < minLeaf) continue;
        if (nR < minLeaf) break;
        let score = 0;
        if (entropy) {
          for (let k = 0; k < K; k++) {
            const l = L[k];
            const r = T[k] - l;
            if (l > 0) score += l * Math.log(l);
            if (r > 0) score += r * Math.log(r);
          }
          score -= nL * Math.log(nL) + nR * Math.log(nR);
        } else {
          let sl = 0;
          let sr = 0;
          for (let k = 0; k < K; k++) {
            const l = L[k];
            const r = T[k] - l;
            sl += l * l;
            sr += r * r;
          }
          score = sl / nL + sr / nR;
        }
        const gain = score - parentScore;
        if (gain > res.gain) {
          res.gain = gain;
          res.bin = b;
          for (let k = 0; k < K; k++) res.left[k] = L[k];
        }
      }
      // An impure node splits even on a zero gain (as scikit-learn's trees do); round-off may make it −0.
      if (res.bin >= 0 && res.gain < 0) res.gain = 0;
    } else {
      const t = this.target as Extract<TreeTarget, { kind: "grad" }>;
      const lambda = t.l2;
      const minH = t.minHessian;
      const hIdx = this.hIdx;
      const cIdx = this.cntIdx;
      const G = T[0];
      const H = T[hIdx];
      const parentScore = (G * G) / (H + lambda);
      const helper = this.o.helper;
      if (!list && helper && helper.scan(hist, o, nb, C, hIdx, G, H, m, lambda, minLeaf, minH)) {
        // The same scan as the loop below, in WebAssembly over the histogram in its memory.
        const out = helper.scanOut;
        res.gain = out[0];
        res.bin = out[1];
        res.left[0] = out[2];
        res.left[hIdx] = out[3];
        res.left[cIdx] = out[4];
        nonEmpty = out[5];
        nList = 0;
      }
      let GL = 0;
      let HL = 0;
      let nL = 0;
      for (let q = 0; q < nList; q++) {
        const b = list ? list[q] : q;
        const base = o + b * C;
        const cnt = hist[base + cIdx];
        if (cnt === 0) continue;
        nonEmpty++;
        GL += hist[base];
        HL += hist[base + hIdx];
        nL += cnt;
        const nR = m - nL;
        if (nL < minLeaf || HL < minH) continue;
        if (nR < minLeaf) break;
        const HR = H - HL;
        if (HR < minH) continue;
        const GR = G - GL;
        const gain = (GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parentScore;
        if (gain > res.gain) {
          res.gain = gain;
          res.bin = b;
          res.left[0] = GL;
          res.left[hIdx] = HL;
          res.left[cIdx] = nL;
        }
      }
      if (!(res.gain > 1e-12 * Math.abs(parentScore))) {
        res.gain = -Infinity;
        res.bin = -1;
      }
    }
    // The last non-empty bin can never be a left side; the scan stops at nR = 0 anyway.
    if (res.bin >= 0 && res.bin >= nb - 1) {
      res.gain = -Infinity;
      res.bin = -1;
    }
    res.constant = nonEmpty <= 1;
    return res;
  }

  /** Stable partition of the node's samples: bin ≤ node.bin first. Returns the split point. */
  private partition(node: OpenNode): number {
    if (this.o.helper) return this.o.helper.partition(node.start, node.end, node.feature, node.bin);
    const bins = this.data.bins;
    const col = node.feature * this.n;
    const thr = node.bin;
    const idx = this.idx;
    const tmp = this.scratch;
    let l = node.start;
    let r = 0;
    for (let i = node.start; i < node.end; i++) {
      const s = idx[i];
      if (bins[col + s] <= thr) idx[l++] = s;
      else tmp[r++] = s;
    }
    for (let k = 0; k < r; k++) idx[l + k] = tmp[k];
    return l;
  }
}
