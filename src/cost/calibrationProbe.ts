/**
 * One measured fit, run as its own process by calibrateCost (and by the cost tests): a fresh
 * process, so its peak resident memory (getrusage maxRSS) belongs to this fit alone, and its CPU
 * time is the fit's whatever else the machine is doing. The fit goes through fitInWorker, the path
 * train_model takes, so the worker start is measured too.
 *
 * Usage: node calibrationProbe.js '[{"estimator":"random_forest","task":"regression","rows":3000,"features":8,"hyperparameters":{}}, …]'
 * Prints one JSON line: ProbeResult[]. Give several fits in increasing size: each one's peak is
 * measured over the memory resident just before it, which is right as long as it outgrows the last.
 */
import { fitInWorker } from "../models/fitInWorker.js";
import type { Estimator, Task } from "../models/estimators.js";

export interface ProbeRequest {
  estimator: Estimator;
  task: Task;
  rows: number;
  features: number;
  classes?: number;
  hyperparameters: Record<string, unknown>;
}

export interface ProbeResult {
  cpu_s: number;
  wall_s: number;
  /** Peak resident bytes added by the fit (over the process with its data). */
  fit_peak_bytes: number;
  /** Peak resident bytes added by building the feature matrix and fitting (over the bare process). */
  job_peak_bytes: number;
  /** Resident bytes of the process with dw's trainers loaded, before any data. */
  base_bytes: number;
  /** L-BFGS iterations (logistic regression), trees or boosting iterations: what the fit did. */
  iterations?: number;
}

/** A deterministic synthetic table: uniform features, a target that depends on a third of them plus noise. */
export function syntheticData(rows: number, features: number, task: Task, classes = 2, seed = 7): { X: Float64Array; y: Float64Array } {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const X = new Float64Array(rows * features);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = 0;
    for (let j = 0; j < features; j++) {
      const v = rand() * 2 - 1;
      X[i * features + j] = v;
      z += j % 3 === 0 ? v : 0.2 * v * v;
    }
    z += (rand() - 0.5) * 0.6;
    // Classes by quantile-like bands of z, so every class is present.
    y[i] = task === "regression" ? z : Math.min(classes - 1, Math.max(0, Math.floor(((Math.tanh(z) + 1) / 2) * classes)));
  }
  return { X, y };
}

async function main(reqs: ProbeRequest[]): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  for (const req of reqs) out.push(await measure(req));
  return out;
}

async function measure(req: ProbeRequest): Promise<ProbeResult> {
  const base = process.memoryUsage().rss;
  const { X, y } = syntheticData(req.rows, req.features, req.task, req.classes ?? 2);
  const before = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await fitInWorker(
    req.estimator,
    req.task,
    { data: X, rows: req.rows, cols: req.features },
    y,
    req.task === "classification" ? (req.classes ?? 2) : 0,
    req.hyperparameters,
    1,
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peak = process.resourceUsage().maxRSS * 1024;
  const json = outcome.predictor.json;
  const iterations =
    json.kind === "logistic_regression"
      ? json.model.iterations
      : json.kind === "gradient_boosting"
        ? json.model.nIter
        : json.kind === "linear_regression"
          ? undefined
          : json.model.trees.length;
  return {
    cpu_s: (cpu.user + cpu.system) / 1e6,
    wall_s: wall / 1000,
    fit_peak_bytes: Math.max(0, peak - before),
    job_peak_bytes: Math.max(0, peak - base),
    base_bytes: base,
    ...(iterations !== undefined ? { iterations } : {}),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!) && process.argv[2]) {
  main(JSON.parse(process.argv[2]) as ProbeRequest[]).then(
    (r) => process.stdout.write(JSON.stringify(r) + "\n"),
    (e: Error) => {
      process.stderr.write(`${e.name}: ${e.message}\n`);
      process.exit(1);
    },
  );
}
