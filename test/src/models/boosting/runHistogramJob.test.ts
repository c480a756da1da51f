import assert from "node:assert/strict";
import { test } from "node:test";
import { HistogramThread } from "../../../../src/models/boosting/HistogramThread.js";
import { OP } from "../../../../src/models/boosting/jobBlock.js";
import { createRandom } from "../../../../src/models/random.js";
import { KernelArena } from "../../../../src/wasm/KernelArena.js";

test("a job the worker has not claimed yet is taken back and run by the posting thread, with the worker's result, bit for bit", async () => {
  const n = 5_000;
  const t = HistogramThread.arenaCounts;
  const arena = new KernelArena(KernelArena.bytesFor({ f64: 6 * n + t.f64, i32: t.i32, arrays: 8 + t.arrays }), true);
  const scores = arena.f64(n);
  const targets = arena.f64(n);
  const rand = createRandom(7);
  for (let i = 0; i < n; i++) {
    scores.view[i] = 8 * rand() - 4;
    targets.view[i] = rand() < 0.5 ? 1 : 0;
  }
  // The expected gradients, from the same kernel on this thread.
  const gWant = arena.f64(n);
  const hWant = arena.f64(n);
  arena.kernels.logLossGradients(scores.ptr, targets.ptr, gWant.ptr, hWant.ptr, n);
  const g = arena.f64(n);
  const h = arena.f64(n);
  const thread = HistogramThread.start(arena);
  if (!thread) return; // one core: no second thread to hand jobs to
  try {
    const back = HistogramThread.jobsTakenBack;
    const done = HistogramThread.jobsDone;
    // Posted and waited for at once: a worker takes tens of milliseconds to start, so it cannot
    // have claimed the job, and wait() must run it here rather than wait for it.
    thread.post(OP.gradients, [scores.ptr, targets.ptr, g.ptr, h.ptr, n], null);
    thread.wait();
    assert.equal(HistogramThread.jobsTakenBack, back + 1, "the job was taken back");
    assert.equal(HistogramThread.jobsDone, done, "the worker ran nothing");
    assert.deepEqual(g.view, gWant.view);
    assert.deepEqual(h.view, hWant.view);
    // Once the worker runs, it still takes the next jobs (it skipped the one taken back).
    while (!thread.ready) await new Promise((r) => setTimeout(r, 5));
    g.view.fill(0);
    let byWorker = 0;
    for (let round = 0; round < 200 && byWorker === 0; round++) {
      const before = HistogramThread.jobsDone;
      thread.post(OP.gradients, [scores.ptr, targets.ptr, g.ptr, h.ptr, n], null);
      // Give the worker the chance to claim it before this thread would take it back.
      await new Promise((r) => setTimeout(r, 1));
      thread.wait();
      byWorker += HistogramThread.jobsDone - before;
      assert.deepEqual(g.view, gWant.view);
    }
    assert.ok(byWorker > 0, "the worker claimed and ran a job");
  } finally {
    thread.close();
  }
  await HistogramThread.allEnded();
  assert.equal(HistogramThread.running, 0);
});
