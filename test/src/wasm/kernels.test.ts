import { test } from "node:test";
import assert from "node:assert/strict";
import { KernelArena } from "../../../src/wasm/KernelArena.js";
import { createRandom } from "../../../src/models/random.js";

const rand = createRandom(7);

/** Row-major n × p of values with a spread of magnitudes, so a wrong index or lane shows. */
function matrix(n: number, p: number): Float64Array {
  return Float64Array.from({ length: n * p }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 4));
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-12 * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

// Widths that exercise the SIMD bodies and each scalar tail (4k, 4k+1, 4k+2, 4k+3, and 1).
for (const p of [1, 2, 3, 7, 8, 20]) {
  test(`matVec, matTVecAdd and colSqDev equal plain loops (p = ${p})`, () => {
    const n = 37;
    const arena = new KernelArena(KernelArena.bytesFor({ f64: n * p + 2 * n + 4 * p }));
    const X = arena.f64(n * p);
    X.view.set(matrix(n, p));
    const w = arena.f64(p);
    w.view.set(matrix(1, p));
    const z = arena.f64(n);
    arena.kernels.matVec(X.ptr, n, p, w.ptr, 0.25, z.ptr);
    const zRef = Array.from({ length: n }, (_, i) => {
      let s = 0.25;
      for (let j = 0; j < p; j++) s += X.view[i * p + j] * w.view[j];
      return s;
    });
    close(z.view, zRef, "matVec");

    const r = arena.f64(n);
    r.view.set(matrix(1, n));
    const out = arena.f64(p);
    out.view.fill(1); // accumulates onto what is there
    arena.kernels.matTVecAdd(X.ptr, n, p, r.ptr, out.ptr);
    const outRef = Array.from({ length: p }, (_, j) => {
      let s = 1;
      for (let i = 0; i < n; i++) s += r.view[i] * X.view[i * p + j];
      return s;
    });
    close(out.view, outRef, "matTVecAdd");

    const mu = arena.f64(p);
    mu.view.set(matrix(1, p));
    const sq = arena.f64(p);
    arena.kernels.colSqDev(X.ptr, n, p, mu.ptr, sq.ptr);
    const sqRef = Array.from({ length: p }, (_, j) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (X.view[i * p + j] - mu.view[j]) ** 2;
      return s;
    });
    close(sq.view, sqRef, "colSqDev");
  });
}

for (const withHessian of [true, false]) {
  test(`histogram kernel (${withHessian ? "g, h, count" : "g, count"}) equals the column-by-column loop bit for bit`, () => {
    const n = 500;
    const p = 7; // a group of four features, then three one at a time
    const nBins = Int32Array.from({ length: p }, (_, f) => 3 + f * 40);
    const C = withHessian ? 3 : 2;
    const off = new Int32Array(p + 1);
    for (let f = 0; f < p; f++) off[f + 1] = off[f] + nBins[f] * C;
    const arena = new KernelArena(KernelArena.bytesFor({ u8: n * p, u32: n, f64: 2 * n + off[p], i32: p + 1 }));
    const offA = arena.i32(p + 1);
    offA.view.set(off);
    const rowBins = arena.u8(n * p);
    for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) rowBins.view[i * p + f] = Math.floor(rand() * nBins[f]);
    // A node's samples: every third row, in a shuffled order.
    const idx = arena.u32(n);
    const rows = Array.from({ length: Math.floor(n / 3) }, (_, k) => 3 * k).sort(() => rand() - 0.5);
    idx.view.set(rows);
    const g = arena.f64(n);
    const h = arena.f64(n);
    g.view.set(matrix(1, n));
    h.view.set(matrix(1, n).map(Math.abs));
    const hist = arena.f64(off[p]);
    const m = rows.length;
    if (withHessian) arena.kernels.histGH(hist.ptr, offA.ptr, 0, p, rowBins.ptr, p, idx.ptr, m, g.ptr, h.ptr);
    else arena.kernels.histG(hist.ptr, offA.ptr, 0, p, rowBins.ptr, p, idx.ptr, m, g.ptr);
    const ref = new Float64Array(off[p]);
    for (let f = 0; f < p; f++) {
      for (let q = 0; q < m; q++) {
        const b = off[f] + rowBins.view[idx.view[q] * p + f] * C;
        ref[b] += g.view[q];
        if (withHessian) ref[b + 1] += h.view[q];
        ref[b + C - 1] += 1;
      }
    }
    assert.deepEqual(hist.view, ref);
  });
}

for (const withHessian of [true, false]) {
  test(`a root histogram (${withHessian ? "g, h, count" : "g, count"}: counts copied in, then every row's gradients in order) equals the column-by-column loop bit for bit, and any other order is summed as given`, async () => {
    const { HistHelper } = await import("../../../src/models/histogram.js");
    const n = 3_001;
    const p = 7; // a group of four features, then three one at a time
    const nBins = Int32Array.from({ length: p }, (_, f) => 2 + f * 41);
    const C = withHessian ? 3 : 2;
    const bins = new Uint8Array(n * p);
    for (let f = 0; f < p; f++) for (let i = 0; i < n; i++) bins[f * n + i] = Math.floor(rand() * nBins[f]);
    const helper = new HistHelper(bins, n, nBins, withHessian);
    helper.gradients.set(matrix(1, n));
    helper.hessians?.set(matrix(1, n).map(Math.abs));
    // The samples in order (the root of a tree), then the same rows in another order: each bin
    // sums its samples in the order idx lists them.
    const orders = [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => n - 1 - i)];
    for (const order of orders) {
      helper.idx.set(order);
      const hist = helper.newHist();
      hist.fill(Number.NaN); // whatever a reused histogram held
      helper.build(hist, 0, n);
      const ref = new Float64Array(hist.length);
      let o = 0;
      for (let f = 0; f < p; f++) {
        for (const i of order) {
          const b = o + bins[f * n + i] * C;
          ref[b] += helper.gradients[i];
          if (withHessian) ref[b + 1] += helper.hessians![i];
          ref[b + C - 1] += 1;
        }
        o += nBins[f] * C;
      }
      assert.deepEqual(hist, ref);
      // Built twice: the counts copied in are not changed by the first build.
      helper.build(hist, 0, n);
      assert.deepEqual(hist, ref);
    }
  });
}

test("an arena refuses more than it was sized for, and a fit too large for WebAssembly memory says what to do", () => {
  const arena = new KernelArena(KernelArena.bytesFor({ f64: 10 }));
  arena.f64(10);
  assert.throws(() => arena.f64(1000), /more bytes asked of an arena/);
  assert.throws(() => new KernelArena(5 * 2 ** 30), /more than the 4 GiB .* fit on a sample of the rows/);
});

test("the partition kernel is stable: each side keeps its samples' order", async () => {
  const { HistHelper } = await import("../../../src/models/histogram.js");
  const n = 30_000;
  const p = 9;
  const nBins = Int32Array.from({ length: p }, (_, f) => 16 + 30 * f);
  const bins = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) for (let i = 0; i < n; i++) bins[f * n + i] = Math.floor(rand() * nBins[f]);
  const helper = new HistHelper(bins, n, nBins, true);
  for (let i = 0; i < n; i++) helper.idx[i] = i;
  const mid = helper.partition(0, n, 4, 40);
  for (let q = 0; q < n; q++) assert.equal(bins[4 * n + helper.idx[q]] <= 40, q < mid, `sample ${helper.idx[q]} on the wrong side`);
  for (let q = 1; q < n; q++) if (q !== mid) assert.ok(helper.idx[q] > helper.idx[q - 1], "each side keeps the samples' order");
});

test("a boosting tree grown through the WebAssembly kernels (gather, histograms, scan, partition) is the tree the JavaScript loops grow", async () => {
  const { HistHelper } = await import("../../../src/models/histogram.js");
  const { growTree } = await import("../../../src/models/growTree.js");
  const { applyBins, computeBinThresholds } = await import("../../../src/models/binFeatures.js");
  const n = 20_000;
  const p = 6;
  const data = Float64Array.from({ length: n * p }, () => rand() * 2 - 1);
  const binned = applyBins({ data, rows: n, cols: p }, computeBinThresholds({ data, rows: n, cols: p }));
  const g = Float64Array.from({ length: n }, (_, i) => (data[i * p] * data[i * p + 1] > 0 ? -0.6 : 0.4) + 0.1 * (rand() - 0.5));
  const h = Float64Array.from({ length: n }, () => 0.1 + 0.15 * rand());
  const options = { maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 20, maxFeatures: p, maxLeafNodes: 31, rand: createRandom(1), denseMin: 64 };
  const plain = growTree(
    binned,
    Uint32Array.from({ length: n }, (_, i) => i),
    { kind: "grad", g, h, l2: 0, minHessian: 1e-3 },
    options,
  );
  const helper = new HistHelper(binned.bins, n, binned.nBins, true);
  helper.gradients.set(g);
  helper.hessians!.set(h);
  for (let i = 0; i < n; i++) helper.idx[i] = i;
  const viaKernels = growTree(binned, helper.idx, { kind: "grad", g: helper.gradients, h: helper.hessians, l2: 0, minHessian: 1e-3 }, { ...options, helper });
  assert.equal(viaKernels.nodeCount, plain.nodeCount);
  assert.ok(plain.nodeCount > 40, "a tree with many splits");
  for (const key of ["feature", "binThreshold", "left", "right", "value", "gain", "count"] as const) assert.deepEqual(viaKernels[key], plain[key], key);
});

test("the kernels' exp is Math.exp bit for bit (so boosting's gradients are what JavaScript would compute)", () => {
  const { kernels } = new KernelArena(64);
  const values = [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 709.78, 709.79, -745.13, -745.14, 1e-300, -1e-300, 2 ** -29, Math.LN2 / 2, 1.5 * Math.LN2];
  for (let i = 0; i < 200_000; i++) values.push((rand() - 0.5) * 60, (rand() - 0.5) * 1500, (rand() - 0.5) * 1e-6);
  for (const x of values) assert.ok(Object.is(kernels.exp(x), Math.exp(x)), `exp(${x}): ${kernels.exp(x)} vs ${Math.exp(x)}`);
});

test("sortF64 orders as Float64Array.prototype.sort, and binValues finds each value's bin as a plain binary search does", () => {
  for (const n of [0, 1, 2, 17, 5000]) {
    const arena = new KernelArena(KernelArena.bytesFor({ f64: 3 * n + 64, i32: 2048, u8: n }));
    const v = arena.f64(n);
    const special = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 1, 1, -1];
    for (let i = 0; i < n; i++) v.view[i] = i % 13 === 0 ? special[i % special.length] : (rand() - 0.5) * 10 ** Math.floor(rand() * 20 - 10);
    const values = Float64Array.from(v.view);
    const expected = Float64Array.from(values).sort();
    arena.kernels.sortF64(v.ptr, n, arena.f64(n).ptr, arena.i32(2048).ptr);
    assert.deepEqual(Array.from(v.view, String), Array.from(expected, String), `sort of ${n}`);
    assert.deepEqual(
      v.view.map((x) => (Object.is(x, -0) ? 1 : 0)),
      expected.map((x) => (Object.is(x, -0) ? 1 : 0)),
      "−0 where the built-in puts it",
    );

    const th = arena.f64(5);
    th.view.set([-1, -1e-3, 0, 0.5, 1e6]);
    const x = arena.f64(n);
    x.view.set(values);
    const out = arena.u8(n);
    arena.kernels.binValues(x.ptr, 1, n, th.ptr, 5, out.ptr);
    for (let i = 0; i < n; i++) {
      let b = 0;
      while (b < 5 && !(values[i] <= th.view[b])) b++;
      assert.equal(out.view[i], b, `bin of ${values[i]}`);
    }
  }
});
