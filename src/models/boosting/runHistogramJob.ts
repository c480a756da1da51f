import type { Kernels } from "../../wasm/KernelArena.js";
import { CTRL, OP, SCAN_AT } from "./jobBlock.js";

/**
 * Runs the job described in the control block `ctrl` with the kernels `k` (bound to the memory
 * the block lives in): the op's kernel call (its arguments from CTRL.args), then, when the scan's
 * `out` argument (args[SCAN_AT + 3]) is not 0, scanFeatures over the same features of the same
 * histogram with the doubles `d` (G, H, m, λ, minSamplesLeaf, minHessian). The worker runs jobs
 * with this, and so does the fit's own thread when it takes back a job the worker had not
 * claimed: the same kernel calls on the same arguments, so the same bits whichever runs it.
 *
 * @example
 * // in histogramWorker: once this thread has claimed job `seen`
 * runHistogramJob(kernels, ctrl, scanDoubles);
 */
export function runHistogramJob(k: Kernels, ctrl: Int32Array, d: Float64Array): void {
  const op = ctrl[CTRL.op];
  const a = (i: number) => ctrl[CTRL.args + i];
  let hist = 0;
  let off = 0;
  let f0 = 0;
  let f1 = 0;
  if (op === OP.gradients) {
    k.logLossGradients(a(0), a(1), a(2), a(3), a(4));
    return;
  }
  if (op === OP.root) {
    // hist, off, f0, f1, colBins, n, g, h, C
    k.histRoot(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8));
    [hist, off, f0, f1] = [a(0), a(1), a(2), a(3)];
  } else if (op === OP.node) {
    // hist, off, f0, f1, rows, stride, seq, m, g, h (0: no hessians, histG)
    if (a(9) !== 0) k.histGH(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9));
    else k.histG(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8));
    [hist, off, f0, f1] = [a(0), a(1), a(2), a(3)];
  } else if (op === OP.nodeRows) {
    // As node, after copying features [f0, f1) of the node's rows into `rows` (stride bytes
    // each): idx (the node's samples) at a(10), the row-major bins at a(11), and f1 is p, the
    // row length there. The histogram kernel then reads feature f at rows − f0 + f.
    k.gatherRows(a(10), a(7), a(11) + a(2), a(3), a(5), a(4));
    if (a(9) !== 0) k.histGH(a(0), a(1), a(2), a(3), a(4) - a(2), a(5), a(6), a(7), a(8), a(9));
    else k.histG(a(0), a(1), a(2), a(3), a(4) - a(2), a(5), a(6), a(7), a(8));
    [hist, off, f0, f1] = [a(0), a(1), a(2), a(3)];
  } else if (op === OP.subtract) {
    // out, parent, sibling (all from element a(3), a(4) elements), off, f0, f1
    k.subtract(a(0) + a(3) * 8, a(1) + a(3) * 8, a(2) + a(3) * 8, a(4));
    [hist, off, f0, f1] = [a(0), a(5), a(6), a(7)];
  } else throw new Error(`histogram job: unknown op ${op}`);
  const out = a(SCAN_AT + 3);
  if (out !== 0) k.scanFeatures(hist, off, a(SCAN_AT + 1), f0, f1, a(SCAN_AT), a(SCAN_AT + 2), d[0], d[1], d[2], d[3], d[4], d[5], out);
}
