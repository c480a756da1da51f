// The worker side of HistogramThread: waits on the control block for a histogram job, runs it on
// the shared memory, signals it done, until told to end.
import { workerData } from "node:worker_threads";
import { bindKernels } from "./KernelArena.js";
import { CTRL, STATE, spinWhile } from "./histogramThread.js";

const { module, memory, ctrl: ctrlPtr } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; ctrl: number };
const kernels = bindKernels(module, memory);
const ctrl = new Int32Array(memory.buffer, ctrlPtr, CTRL.size);
Atomics.store(ctrl, CTRL.ready, 1);
for (;;) {
  const state = Atomics.load(ctrl, CTRL.state);
  if (state === STATE.exit) break;
  if (state !== STATE.posted) {
    // The next job usually follows within tens of microseconds: poll a while before sleeping,
    // since waking a sleeping thread costs about as long.
    if (spinWhile(ctrl, state)) Atomics.wait(ctrl, CTRL.state, state);
    continue;
  }
  const a = CTRL.args;
  const [hist, off, f0, f1, rowBins, p, idx, m, g, h] = [ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4], ctrl[a + 5], ctrl[a + 6], ctrl[a + 7], ctrl[a + 8], ctrl[a + 9]];
  if (h !== 0) kernels.histGH(hist, off, f0, f1, rowBins, p, idx, m, g, h);
  else kernels.histG(hist, off, f0, f1, rowBins, p, idx, m, g);
  Atomics.store(ctrl, CTRL.state, STATE.done);
  Atomics.notify(ctrl, CTRL.state);
}
