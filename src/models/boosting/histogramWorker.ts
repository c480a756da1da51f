// The worker side of HistogramThread: waits on the control block for a job, claims it (unless the
// fit's thread took it back first), runs its kernels on the shared memory, says it is done, until
// told to end. Imports nothing heavy, so it starts in a few tens of milliseconds, while the fit
// bins its features.
import { workerData } from "node:worker_threads";
import { bindKernels } from "../../wasm/KernelArena.js";
import { CTRL, OP, SCAN_DOUBLES, spinWhile } from "./jobBlock.js";
import { runHistogramJob } from "./runHistogramJob.js";

const data = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; ctrl: number; doubles: number };
const k = bindKernels(data.module, data.memory);
const ctrl = new Int32Array(data.memory.buffer, data.ctrl, CTRL.size);
const d = new Float64Array(data.memory.buffer, data.doubles, SCAN_DOUBLES);
Atomics.store(ctrl, CTRL.ready, 1);
let seen = 0;
for (;;) {
  const posted = Atomics.load(ctrl, CTRL.posted);
  if (posted === seen) {
    if (spinWhile(ctrl, CTRL.posted, seen)) Atomics.wait(ctrl, CTRL.posted, seen);
    continue;
  }
  seen = posted;
  if (ctrl[CTRL.op] === OP.exit) break;
  // The fit's thread may have taken the job back (then it finishes it and says so itself).
  if (Atomics.compareExchange(ctrl, CTRL.claim, posted - 1, posted) !== posted - 1) continue;
  try {
    runHistogramJob(k, ctrl, d);
  } catch {
    Atomics.store(ctrl, CTRL.failed, 1);
  }
  Atomics.store(ctrl, CTRL.done, posted);
  Atomics.notify(ctrl, CTRL.done);
}
