import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { test } from "node:test";
import { applyBins, computeBinThresholds } from "../../../../src/models/binFeatures.js";
import { HistogramThread } from "../../../../src/models/boosting/HistogramThread.js";
import { GradientBoosting } from "../../../../src/models/GradientBoosting.js";
import { growTree } from "../../../../src/models/growTree.js";
import { HistHelper } from "../../../../src/models/histogram.js";
import { createRandom } from "../../../../src/models/random.js";
import { synthetic } from "../datasets.js";

/** Waits (in event-loop turns, not a timed assertion) until the helper's second thread takes jobs. */
async function threadReady(helper: HistHelper): Promise<void> {
  while (!helper.threadReady) await new Promise((r) => setTimeout(r, 5));
}

test("trees grown with a second thread (half the features' histograms and scans there, the root's and the gradients too) are the trees one thread grows, bit for bit", async () => {
  const rand = createRandom(3);
  const n = 60_000;
  const p = 11; // the other thread's share, 6 features, is a group of four and two single ones
  const data = Float64Array.from({ length: n * p }, () => rand() * 2 - 1);
  // Two features the same: their splits tie, and the lower one must win on either thread.
  for (let i = 0; i < n; i++) data[i * p + 9] = data[i * p + 2];
  const X = { data, rows: n, cols: p };
  const binned = applyBins(X, computeBinThresholds(X));
  const scores = Float64Array.from({ length: n }, (_, i) => 0.3 * (data[i * p] * data[i * p + 1] > 0 ? 1 : -1) + 0.2 * (rand() - 0.5));
  const x = (i: number, j: number) => data[i * p + j];
  const targets = Float64Array.from({ length: n }, (_, i) => (0.5 * x(i, 2) + x(i, 3) * x(i, 4) + Math.sin(3 * x(i, 5)) + 0.8 * (rand() - 0.5) > 0 ? 1 : 0));
  const grown = [];
  for (const threads of [1, 2]) {
    const helper = new HistHelper(binned.bins, n, binned.nBins, true, true, threads);
    try {
      if (threads === 2) await threadReady(helper);
      helper.scores!.set(scores);
      helper.targets!.set(targets);
      // Jobs handed over: run by the worker, or taken back when it had not claimed them yet (on a
      // busy machine it may claim none; runHistogramJob.test shows it runs the jobs it claims).
      const handed = () => HistogramThread.jobsDone + HistogramThread.jobsTakenBack;
      const before = handed();
      helper.logLossGradients();
      const gradients = Float64Array.from(helper.gradients);
      const hessians = Float64Array.from(helper.hessians!);
      for (let i = 0; i < n; i++) helper.idx[i] = i;
      const options = {
        maxDepth: Infinity,
        minSamplesSplit: 2,
        minSamplesLeaf: 20,
        maxFeatures: p,
        maxLeafNodes: 31,
        rand: createRandom(1),
        helper,
        denseMin: 64,
      };
      const tree = growTree(binned, helper.idx, { kind: "grad", g: helper.gradients, h: helper.hessians, l2: 0.5, minHessian: 1e-3 }, options);
      if (threads === 2)
        assert.ok(handed() - before >= 3, `the gradients, the root and a node at least were handed to the second thread (${handed() - before} jobs)`);
      grown.push({ tree, gradients, hessians });
    } finally {
      helper.close();
    }
  }
  const [one, two] = grown;
  assert.deepEqual(two.gradients, one.gradients);
  assert.deepEqual(two.hessians, one.hessians);
  assert.ok(one.tree.nodeCount > 40, `a tree with many splits (${one.tree.nodeCount} nodes)`);
  assert.ok(one.tree.feature.includes(2), "the duplicated feature splits somewhere");
  assert.ok(!one.tree.feature.includes(9), "its copy, on the other thread's side, never wins a tie");
  for (const key of ["feature", "binThreshold", "left", "right", "value", "gain", "count", "start", "end"] as const)
    assert.deepEqual(two.tree[key], one.tree[key], key);
  await HistogramThread.allEnded();
  assert.equal(HistogramThread.running, 0);
});

for (const [task, nClasses] of [
  ["classification", 2],
  ["classification", 3],
  ["regression", 0],
] as const) {
  test(`a gradient boosting fit on two threads is the one-thread model, byte for byte (${task}${nClasses ? `, ${nClasses} classes` : ""}), and its thread has ended when the fit returns`, async () => {
    const ds = synthetic(40_000, 8, task, 11, nClasses || 2);
    const fit = (threads: 1 | 2) => GradientBoosting.fit(ds.X, ds.y, { task, maxIter: 25, seed: 4, threads, earlyStopping: true, nIterNoChange: 100 }).toJSON();
    const one = JSON.stringify(fit(1));
    const handed = () => HistogramThread.jobsDone + HistogramThread.jobsTakenBack;
    const before = handed();
    const two = JSON.stringify(fit(2));
    assert.equal(two, one);
    // The fit is long enough for its thread to start and be handed jobs (else this compared one thread with itself).
    assert.ok(handed() > before, "jobs were handed to the second thread");
    await HistogramThread.allEnded();
    assert.equal(HistogramThread.running, 0);
  });
}

test("a fit that fails midway ends its second thread too", async () => {
  const ds = synthetic(40_000, 8, "classification", 5);
  let calls = 0;
  let runningDuringFit = 0;
  assert.throws(
    () =>
      GradientBoosting.fit(ds.X, ds.y, {
        task: "classification",
        maxIter: 50,
        earlyStopping: false,
        threads: 2,
        shouldStop: () => {
          runningDuringFit = Math.max(runningDuringFit, HistogramThread.running);
          if (++calls === 4) throw new Error("interrupted");
          return false;
        },
      }),
    /interrupted/,
  );
  assert.equal(runningDuringFit, 1, "the fit had started its thread");
  await HistogramThread.allEnded();
  assert.equal(HistogramThread.running, 0);
});

test("small fits and threads: 1 start no thread; the default on a large fit starts one (two cores or more) unless DW_FIT_THREADS is below 2", async () => {
  await HistogramThread.allEnded();
  let seen = 0;
  const shouldStop = () => {
    seen = Math.max(seen, HistogramThread.running);
    return false;
  };
  const small = synthetic(2_000, 5, "classification", 6);
  GradientBoosting.fit(small.X, small.y, { task: "classification", maxIter: 5, shouldStop });
  const large = synthetic(40_000, 8, "classification", 6);
  GradientBoosting.fit(large.X, large.y, { task: "classification", maxIter: 3, threads: 1, shouldStop });
  assert.equal(seen, 0);
  const saved = process.env.DW_FIT_THREADS;
  try {
    process.env.DW_FIT_THREADS = "1";
    GradientBoosting.fit(large.X, large.y, { task: "classification", maxIter: 3, shouldStop });
    assert.equal(seen, 0, "DW_FIT_THREADS=1 keeps the fit on one thread");
    delete process.env.DW_FIT_THREADS;
    GradientBoosting.fit(large.X, large.y, { task: "classification", maxIter: 3, shouldStop });
    assert.equal(seen, availableParallelism() >= 2 ? 1 : 0, "the default starts a second thread where there is a second core");
  } finally {
    if (saved === undefined) delete process.env.DW_FIT_THREADS;
    else process.env.DW_FIT_THREADS = saved;
  }
  await HistogramThread.allEnded();
  assert.equal(HistogramThread.running, 0);
});
