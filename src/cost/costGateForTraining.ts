import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError } from "../errors/DwError.js";
import { worstStatus, type GateFinding, type GateStatus } from "../policy/GateReport.js";
import { ALGORITHMS, estimatorOf, TASKS, type Algorithm, type Task } from "../models/estimators.js";
import { readPolicySection } from "../policy/readPolicySection.js";
import { CostPolicy, costAllowed } from "./CostPolicy.js";
import { calibratedFor, ensureCalibration } from "./calibrateCost.js";
import { workUnits } from "./costModel.js";
import { CostEstimate, CostReport } from "./CostReport.js";

const GB = 2 ** 30;

// Defined in CostReport.ts (schemas only, for estimate_cost's schema); exported here too.
export { CostEstimate, CostReport };

export interface CostJob {
  rows: number;
  features: number;
  algorithm: string;
  hyperparameters?: Record<string, unknown>;
  task?: string;
  /** Classes of a classification target; multiclass boosting and logistic regression cost K times more. */
  classes?: number;
}

/**
 * The cost gate before a training: predicts time, peak memory and (with a price) money from the
 * job's shape and the constants calibrated on this machine, and compares them with the `cost:`
 * limits of dw.policy.yaml. Over a limit the finding is warn, or fail when the policy says
 * `on_exceed: block`.
 *
 * @example
 * ```ts
 * const report = await costGateForTraining(ctx, { rows: 1_000_000, features: 20, algorithm: "random_forest", hyperparameters: { n_estimators: 200 } });
 * report.estimate.train_seconds;
 * ```
 */
export async function costGateForTraining(ctx: DomainContext, job: CostJob): Promise<CostReport> {
  if (!(ALGORITHMS as readonly string[]).includes(job.algorithm)) {
    throw new DwError("INVALID_INPUT", `Unknown algorithm '${job.algorithm}'.`, {
      hint: `Algorithms: ${ALGORITHMS.join(", ")}.`,
      details: { field: "algorithm" },
    });
  }
  if (!(Number.isInteger(job.rows) && job.rows >= 1 && Number.isInteger(job.features) && job.features >= 1)) {
    throw new DwError("INVALID_INPUT", `rows and features must be whole numbers ≥ 1 (got ${job.rows} × ${job.features}).`, {
      details: { field: job.rows >= 1 ? "features" : "rows" },
    });
  }
  const algorithm = job.algorithm as Algorithm;
  const estimator = estimatorOf(algorithm);
  const task = (job.task ?? (estimator === "logistic_regression" ? "classification" : "regression")) as Task;
  if (!TASKS[estimator].includes(task)) {
    throw new DwError("INVALID_INPUT", `${algorithm} cannot learn a ${task} task.`, {
      hint: `${algorithm} learns: ${TASKS[estimator].join(", ")}.`,
      details: { field: "task" },
    });
  }
  const { policy, file } = await readPolicySection(ctx.workspace, "cost", CostPolicy, costAllowed);
  const { calibration, fresh } = await ensureCalibration(ctx.workspace, ctx.now());
  const constants = calibratedFor(calibration, estimator, task);
  const shape = { estimator, task, rows: job.rows, features: job.features, classes: Math.max(2, job.classes ?? 2), hyperparameters: job.hyperparameters ?? {} };
  const work = workUnits(shape, constants.typical_iterations);
  const seconds = constants.time.a + constants.time.b * work.time;
  const cells = job.rows * job.features * 8;
  const fitBytes = constants.memory.a + constants.memory.b * work.memory;
  const breakdown = { process: calibration.base_bytes / GB, data: cells / GB, feature_matrix: cells / GB, fit: fitBytes / GB };
  const peak = breakdown.process + breakdown.data + breakdown.feature_matrix + breakdown.fit;
  const usd = policy.price_per_hour_usd !== undefined ? (seconds / 3600) * policy.price_per_hour_usd : undefined;

  const over: GateStatus = policy.on_exceed === "block" ? "fail" : "warn";
  const limitNote =
    policy.on_exceed === "block"
      ? "the policy blocks it (on_exceed: block): reduce the job, or pass override_reason"
      : "the policy only warns (on_exceed: warn)";
  const findings: GateFinding[] = [];
  const check = (id: string, what: string, value: number, limit: number | undefined, unit: (x: number) => string, fix: string) => {
    if (limit === undefined) return;
    const exceeded = value > limit;
    findings.push({
      check: id,
      status: exceeded ? over : "pass",
      message: exceeded
        ? `Estimated ${what} ${unit(value)} is over the limit of ${unit(limit)}; ${limitNote}. ${fix}`
        : `Estimated ${what} ${unit(value)}, within the limit of ${unit(limit)}.`,
      value: round(value),
      threshold: limit,
    });
  };
  check(
    "max_train_seconds",
    "training time",
    seconds,
    policy.max_train_seconds,
    (x) => `${round(x)} s`,
    "Sample the rows, use fewer trees or iterations, or set time_budget_seconds.",
  );
  check("max_peak_memory_gb", "peak memory", peak, policy.max_peak_memory_gb, (x) => `${round(x)} GB`, "Sample the rows or use fewer features.");
  if (usd !== undefined) check("max_cost_usd", "cost", usd, policy.max_cost_usd, (x) => `$${round(x)}`, "Use a smaller job or a cheaper machine.");
  const status = worstStatus(findings.map((f) => f.status));
  const notes = [work.note, estimator !== algorithm ? `${algorithm} is trained with dw's gradient boosting; the estimate is for that.` : undefined].filter(
    (n): n is string => n !== undefined,
  );
  return {
    gate: "cost",
    status,
    summary: `${algorithm} on ${job.rows.toLocaleString("en-US")} rows × ${job.features} features: about ${round(seconds)} s, ${round(peak)} GB peak${usd !== undefined ? `, $${round(usd)}` : ""}; ${status === "pass" ? "within the policy's limits" : status === "warn" ? "over a limit (warning)" : "over a limit (blocked)"}.`,
    findings,
    checked_at: ctx.now().toISOString(),
    policy_file: file,
    estimate: {
      algorithm,
      estimator,
      task,
      rows: job.rows,
      features: job.features,
      train_seconds: round(seconds),
      peak_memory_gb: round(peak),
      memory_breakdown_gb: {
        process: round(breakdown.process),
        data: round(breakdown.data),
        feature_matrix: round(breakdown.feature_matrix),
        fit: round(breakdown.fit),
      },
      ...(usd !== undefined ? { cost_usd: round(usd), price_per_hour_usd: policy.price_per_hour_usd } : {}),
      notes,
      calibration: {
        calibrated_at: calibration.calibrated_at,
        fresh,
        took_s: calibration.took_s,
        cpu_model: calibration.machine.cpu_model,
        cpus: calibration.machine.cpus,
        file: ".dw/cost-calibration.json",
      },
    },
  };
}

/** Three significant digits: an estimate is not more precise than that. */
function round(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(3));
}
