import { z } from "zod";
import { accuracy } from "../../models/classificationMetrics.js";
import { regressionMetrics } from "../../models/metrics.js";
import { type AbMetric, type AbTest, higherIsBetter } from "./AbTest.js";
import { alwaysValidPValue, BURN_IN } from "./alwaysValidPValue.js";

/** The fields of an inference-log row the results read (src/monitoring/log: InferenceRecord). */
export interface AbLogRow {
  t: number;
  id: string;
  row: number;
  v: number;
  y: number | string | boolean | null;
  ms: number;
  err?: string;
  /** A sampled request stands for w requests (absent: 1). */
  w?: number;
}

export const ArmResult = z.object({
  version: z.number().int(),
  share: z.number().describe("Its share of the traffic (weight ÷ the sum of weights)."),
  requests: z.number().int().describe("Requests it answered since the test started (above the log's full rate, estimated from the sampled ones)."),
  rows: z.number().int(),
  errors: z.number().int().describe("Requests it failed to score after being chosen."),
  latency_ms: z.object({ p50: z.number(), p99: z.number() }).nullable().describe("Request latency, over its requests; null before any."),
  predictions: z
    .union([
      z.object({ kind: z.literal("number"), mean: z.number(), sd: z.number() }),
      z.object({ kind: z.literal("class"), shares: z.record(z.string(), z.number()) }),
    ])
    .nullable()
    .describe("The distribution of its predictions: mean and sd, or each class's share."),
  labelled: z.number().int().describe("Rows with a feedback label: the sample the metric and the test use."),
  metric: z.number().nullable().describe("The test's metric over its labelled rows; null before any."),
});
export type ArmResult = z.infer<typeof ArmResult>;

export const ArmComparison = z.object({
  a: z.number().int(),
  b: z.number().int(),
  difference: z
    .number()
    .describe("Mean per-row value of b minus a's (correct answers for accuracy or error rate, squared error for rmse, absolute error for mae)."),
  p_value: z.number().describe("The always-valid p-value (mSPRT); see docs/monitoring.md, A/B tests."),
  threshold: z.number().describe("alpha ÷ the number of pairs (Bonferroni)."),
  better: z.number().int().nullable().describe("The version significantly better of the two, or null."),
});
export type ArmComparison = z.infer<typeof ArmComparison>;

export const AbDecision = z.object({
  kind: z.enum(["winner", "no_winner_yet", "not_enough_data", "duration_over", "stopped", "promoted"]),
  winner: z.number().int().nullable(),
  message: z.string(),
});
export type AbDecision = z.infer<typeof AbDecision>;

export const AbResults = z.object({
  arms: z.array(ArmResult),
  comparisons: z.array(ArmComparison),
  decision: AbDecision,
});
export type AbResults = z.infer<typeof AbResults>;

/**
 * An A/B test's results from its deployment's inference log and feedback: per arm (rows answered by
 * that version since the test started) requests, errors, latency p50/p99, the prediction
 * distribution and, over the rows that have a label, the metric; per pair of arms the always-valid
 * p-value of the difference of their per-row values, ordered by request time; and the decision. A
 * winner needs every arm at `min_sample_size` labelled rows, and to beat every other arm with a
 * p-value under alpha ÷ pairs: below the sample size the answer is "not enough data yet", never a
 * winner.
 *
 * @example
 * ```ts
 * const r = abTestResults(test, records, feedback, new Date());
 * r.decision.kind; // "not_enough_data" until each arm has min_sample_size labelled rows
 * ```
 */
export function abTestResults(test: AbTest, records: readonly AbLogRow[], feedback: ReadonlyMap<string, { label: unknown }>, now: Date): AbResults {
  const from = Date.parse(test.started_at);
  const until = test.ended ? Date.parse(test.ended.at) : Number.POSITIVE_INFINITY;
  const index = new Map(test.arms.map((a, i) => [a.version, i]));
  const total = test.arms.reduce((s, a) => s + a.weight, 0);
  const rows = test.arms.map(() => [] as AbLogRow[]);
  for (const r of records) {
    const i = index.get(r.v);
    if (i !== undefined && r.t >= from && r.t <= until) rows[i].push(r);
  }
  const labelled: { t: number; arm: number; value: number }[] = [];
  const arms = test.arms.map((arm, i) => {
    const result = armResult(arm.version, arm.weight / total, rows[i], feedback, test.metric, test.task);
    for (const o of result.observations) labelled.push({ t: o.t, arm: i, value: o.value });
    return result.arm;
  });
  labelled.sort((a, b) => a.t - b.t);

  const pairs = (test.arms.length * (test.arms.length - 1)) / 2;
  const threshold = test.alpha / pairs;
  const comparisons: ArmComparison[] = [];
  const wins = test.arms.map(() => 0);
  for (let i = 0; i < test.arms.length; i++) {
    for (let j = i + 1; j < test.arms.length; j++) {
      const seq = labelled.filter((o) => o.arm === i || o.arm === j);
      const r = alwaysValidPValue(
        Uint8Array.from(seq, (o) => (o.arm === j ? 1 : 0)),
        Float64Array.from(seq, (o) => o.value),
        { burnIn: Math.max(BURN_IN, test.min_sample_size) },
      );
      const jBetter = higherIsBetter(test.metric) ? r.difference > 0 : r.difference < 0;
      const better = r.p_value < threshold && r.difference !== 0 ? (jBetter ? j : i) : null;
      if (better !== null) wins[better]++;
      comparisons.push({
        a: test.arms[i].version,
        b: test.arms[j].version,
        difference: r.difference,
        p_value: r.p_value,
        threshold,
        better: better === null ? null : test.arms[better].version,
      });
    }
  }
  return { arms, comparisons, decision: decide(test, arms, wins, now) };
}

function decide(test: AbTest, arms: ArmResult[], wins: number[], now: Date): AbDecision {
  if (test.ended) {
    const kind = test.status === "promoted" ? "promoted" : "stopped";
    const w = test.ended.winner;
    return { kind, winner: w, message: `The test ended (${kind}) at ${test.ended.at}: ${test.ended.decision}` };
  }
  const short = arms.filter((a) => a.labelled < test.min_sample_size);
  const best = wins.findIndex((w) => w === arms.length - 1);
  const over = test.duration_hours !== null && now.getTime() - Date.parse(test.started_at) >= test.duration_hours * 3_600_000;
  if (!short.length && best >= 0) {
    const v = arms[best].version;
    return {
      kind: "winner",
      winner: v,
      message: `v${v} is better than every other arm on ${test.metric} (always-valid p below ${fmt(test.alpha)} over all pairs). Promote it with action promote.`,
    };
  }
  if (over) {
    return {
      kind: "duration_over",
      winner: null,
      message: `The test ran its ${test.duration_hours} h without a significant winner${short.length ? " (and without enough labelled rows)" : ""}: the arms are not shown to differ on ${test.metric}. Stop it, or change it to run on.`,
    };
  }
  if (short.length) {
    return {
      kind: "not_enough_data",
      winner: null,
      message: `Not enough data yet: ${short.map((a) => `v${a.version} has ${a.labelled} labelled rows`).join(", ")}, of the ${test.min_sample_size} each arm needs. Labels arrive through the feedback route.`,
    };
  }
  return {
    kind: "no_winner_yet",
    winner: null,
    message: `No winner yet: no arm beats every other on ${test.metric} at alpha ${fmt(test.alpha)}. The p-values stay valid however often you look; keep the test running.`,
  };
}

/** One arm's numbers, and its labelled rows as observations for the test (a correct answer as 1; an error, squared or absolute). */
function armResult(
  version: number,
  share: number,
  rows: AbLogRow[],
  feedback: ReadonlyMap<string, { label: unknown }>,
  metric: AbMetric,
  task: "classification" | "regression",
): { arm: ArmResult; observations: { t: number; value: number }[] } {
  const latency = new Map<string, number>();
  const weight = new Map<string, number>();
  const failed = new Set<string>();
  const numbers: number[] = [];
  const classes = new Map<string, number>();
  const truth: (number | string)[] = [];
  const pred: (number | string)[] = [];
  const observations: { t: number; value: number }[] = [];
  for (const r of rows) {
    if (!latency.has(r.id)) {
      latency.set(r.id, r.ms);
      weight.set(r.id, r.w ?? 1);
    }
    if (r.err !== undefined) {
      failed.add(r.id);
      continue;
    }
    if (r.y === null) continue;
    if (typeof r.y === "number") numbers.push(r.y);
    else classes.set(String(r.y), (classes.get(String(r.y)) ?? 0) + 1);
    const label = feedback.get(`${r.id}:${r.row}`)?.label;
    const y = labelValue(label, task);
    if (y === null) continue;
    truth.push(y);
    pred.push(typeof r.y === "boolean" ? String(r.y) : r.y);
    if (task === "classification") {
      const correct = String(r.y) === String(y) ? 1 : 0;
      observations.push({ t: r.t, value: metric === "error_rate" ? 1 - correct : correct });
    } else {
      const e = Number(r.y) - Number(y);
      observations.push({ t: r.t, value: metric === "mae" ? Math.abs(e) : e * e });
    }
  }
  const ms = Float64Array.from(latency.values()).sort();
  const predictions: ArmResult["predictions"] = numbers.length
    ? { kind: "number", ...meanSd(numbers) }
    : classes.size
      ? { kind: "class", shares: Object.fromEntries([...classes].sort((a, b) => b[1] - a[1]).map(([c, n]) => [c, n / (rows.length - failedRows(rows))])) }
      : null;
  return {
    arm: {
      version,
      share,
      requests: Math.round(sum(weight.values())),
      rows: rows.length,
      errors: Math.round(sum([...failed].map((id) => weight.get(id) ?? 1))),
      latency_ms: ms.length ? { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) } : null,
      predictions,
      labelled: truth.length,
      metric: truth.length ? metricValue(metric, task, truth, pred) : null,
    },
    observations,
  };
}

/** The metric, by dw's own metric functions (src/models). */
function metricValue(metric: AbMetric, task: "classification" | "regression", truth: (number | string)[], pred: (number | string)[]): number {
  if (task === "classification") {
    const codes = new Map<string, number>();
    const code = (v: number | string) => {
      const k = String(v);
      if (!codes.has(k)) codes.set(k, codes.size);
      return codes.get(k)!;
    };
    const acc = accuracy(Int32Array.from(truth, code), Int32Array.from(pred, code));
    return metric === "error_rate" ? 1 - acc : acc;
  }
  const m = regressionMetrics(Float64Array.from(truth, Number), Float64Array.from(pred, Number));
  return metric === "mae" ? m.mae : m.rmse;
}

/** A feedback label as the task reads it: a finite number for regression, text for a class; anything else is no label. */
function labelValue(label: unknown, task: "classification" | "regression"): number | string | null {
  if (task === "regression") {
    const x = typeof label === "number" ? label : typeof label === "string" && label.trim() !== "" ? Number(label) : Number.NaN;
    return Number.isFinite(x) ? x : null;
  }
  return typeof label === "string" || typeof label === "number" || typeof label === "boolean" ? String(label) : null;
}

function sum(xs: Iterable<number>): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

const failedRows = (rows: AbLogRow[]) => rows.filter((r) => r.err !== undefined || r.y === null).length;

function meanSd(xs: number[]): { mean: number; sd: number } {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, sd: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0 };
}

/** Linear interpolation between order statistics (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

const fmt = (x: number) => String(Number(x.toPrecision(3)));
