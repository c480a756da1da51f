// The worker side of HistogramThread: waits on the control block for a job, runs its kernels on
// the shared memory, says it is done, until told to end. Imports nothing heavy, so it starts in
// a few tens of milliseconds, while the fit bins its features.
import { workerData } from "node:worker_threads";
import { bindKernels } from "../../wasm/KernelArena.js";
import { CTRL, OP, SCAN_AT, SCAN_DOUBLES, spinWhile } from "./HistogramThread.js";

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
  const op = ctrl[CTRL.op];
  if (op === OP.exit) break;
  const a = (i: number) => ctrl[CTRL.args + i];
  try {
    // The op's kernel call (its arguments from 0), then, when args[SCAN_AT + 3] (out) ≠ 0,
    // scanFeatures over the same features of the same histogram (arguments from SCAN_AT).
    let hist = 0;
    let off = 0;
    let f0 = 0;
    let f1 = 0;
    if (op === OP.gradients) k.logLossGradients(a(0), a(1), a(2), a(3), a(4));
    else if (op === OP.root) {
      // hist, off, f0, f1, colBins, n, g, h, C
      k.histRoot(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8));
      [hist, off, f0, f1] = [a(0), a(1), a(2), a(3)];
    } else if (op === OP.node) {
      // hist, off, f0, f1, rows, stride, seq, m, g, h (0: no hessians, histG)
      if (a(9) !== 0) k.histGH(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9));
      else k.histG(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8));
      [hist, off, f0, f1] = [a(0), a(1), a(2), a(3)];
    } else if (op === OP.subtract) {
      // out, parent, sibling (all from element a(3), a(4) elements), off, f0, f1
      k.subtract(a(0) + a(3) * 8, a(1) + a(3) * 8, a(2) + a(3) * 8, a(4));
      [hist, off, f0, f1] = [a(0), a(5), a(6), a(7)];
    }
    const out = a(SCAN_AT + 3);
    if (op !== OP.gradients && out !== 0)
      k.scanFeatures(hist, off, a(SCAN_AT + 1), f0, f1, a(SCAN_AT), a(SCAN_AT + 2), d[0], d[1], d[2], d[3], d[4], d[5], out);
  } catch {
    Atomics.store(ctrl, CTRL.failed, 1);
  }
  Atomics.store(ctrl, CTRL.done, seen);
  Atomics.notify(ctrl, CTRL.done);
}
