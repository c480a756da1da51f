import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { resolveStatusScope } from "../deployment/resolveStatusScope.js";
import { DRIFT_POLICY_METHODS } from "../monitoring/driftPolicyMethods.js";
import { DriftReport, type ColumnDrift } from "../monitoring/DriftReport.js";
import { driftSubject } from "../monitoring/driftSubject.js";
import { driftScore } from "../monitoring/drift/DriftMethod.js";
import { MAX_WINDOW_RECORDS } from "../monitoring/log/readInferenceLog.js";

export const DetectModelDriftInput = z.strictObject({
  model_id: z.string().min(1).describe("The model: name@alias (a deployment: its traffic and the version it serves), name/version, or a run id."),
  baseline_dataset_id: z
    .string()
    .min(1)
    .optional()
    .describe("Compare with this dataset instead of the reference stored with the model's run (its training data statistics and sample)."),
  dataset_id: z
    .string()
    .min(1)
    .optional()
    .describe("Compare this dataset (scored with the model for prediction drift) instead of the deployment's logged traffic."),
  method: z
    .enum(DRIFT_POLICY_METHODS)
    .optional()
    .describe(
      "auto: Evidently's DataDriftPreset choice per column (KS, chi-square or z-test up to 1,000 reference rows; normed Wasserstein or Jensen–Shannon above). Or one test for every column. Default: the policy's (auto).",
    ),
  threshold: z
    .number()
    .positive()
    .optional()
    .describe("A p-value for ks, chisquare and z (drift below it; default 0.05), a distance for the others (drift at or above it; default 0.1)."),
  drift_share: z.number().gt(0).max(1).optional().describe("Dataset drift when at least this share of the columns drift. Default: the policy's (0.5)."),
  window_rows: z
    .number()
    .int()
    .positive()
    .max(MAX_WINDOW_RECORDS)
    .optional()
    .describe("The newest logged rows to compare. Default: the policy's monitoring.drift.window_rows (5,000)."),
  since: z.iso.datetime({ offset: true }).optional().describe("Only traffic logged at or after this time (ISO 8601)."),
});
export type DetectModelDriftInput = z.infer<typeof DetectModelDriftInput>;

export const DetectModelDriftOutput = DriftReport.extend({
  model_id: z.string(),
  run_id: z.string().describe("The run whose model (and stored reference) was checked."),
  version: z.number().int().optional().describe("The registered version checked, when model_id names one."),
  task: z.enum(["regression", "classification"]),
  target: z.string(),
  reference_origin: z
    .enum(["stored", "rebuilt"])
    .optional()
    .describe("rebuilt: the run predates stored references, so one was built from its cached training data."),
  summary: z.string().describe("One line: what drifted."),
  chart: z
    .record(z.string(), z.unknown())
    .describe("A Vega-Lite v5 chart of each column's drift score against its threshold (MIME type application/vnd.vegalite.v5+json)."),
});
export type DetectModelDriftOutput = z.infer<typeof DetectModelDriftOutput>;

/**
 * Detects data and prediction drift of a model: its deployment's logged traffic (or a dataset)
 * against its training data (the reference stored with the run, or a baseline dataset), per input
 * with Evidently's DataDriftPreset method choice or the one asked, dataset drift at the drift
 * share, and performance against the hold-out where labels arrived through the feedback endpoint.
 *
 * @example
 * ```ts
 * const d = await dw.detectModelDrift({ model_id: "churn@production" });
 * d.drifted_columns; // ["tenure", "monthly_charges"]
 * ```
 */
export const detectModelDrift = defineTool({
  name: "detect_model_drift",
  annotations: { effect: "reads" },
  description:
    "Detect data and prediction drift of a model: its deployment's logged traffic (or a dataset) against its training data (the reference stored with the run, or a baseline dataset): per column the test (Evidently's default choice, or ks, chisquare, z, wasserstein, jensenshannon, psi), statistic, p-value, threshold and verdict; the share drifted and dataset drift; prediction drift; performance where labels arrived.",
  input: DetectModelDriftInput,
  output: DetectModelDriftOutput,
  magic: { positional: "model_id", aliases: { run_id: "model_id", name: "model_id", data: "dataset_id", baseline: "baseline_dataset_id" } },
  async run(input, ctx) {
    const ws = ctx.workspace;
    const scope = await resolveStatusScope(ws, input.model_id);
    const subject = await driftSubject(ws, input.model_id, scope.deployments);
    if (input.dataset_id !== undefined && input.since !== undefined) {
      throw new DwError("INVALID_INPUT", "since picks logged traffic; with dataset_id the dataset is compared instead.", {
        hint: "Leave out since, or dataset_id.",
        details: { field: "since" },
      });
    }
    const { detectDrift } = await import("../monitoring/detectDrift.js");
    const found = await detectDrift(ws, {
      subject,
      baselineDatasetId: input.baseline_dataset_id,
      datasetId: input.dataset_id,
      windowRows: input.window_rows,
      since: input.since !== undefined ? Date.parse(input.since) : undefined,
      method: input.method,
      threshold: input.threshold,
      driftShare: input.drift_share,
    });
    const r = found.report;
    return {
      ...r,
      model_id: input.model_id,
      run_id: subject.runId,
      ...(subject.version !== undefined ? { version: subject.version } : {}),
      task: found.task,
      target: found.target,
      ...(found.referenceOrigin ? { reference_origin: found.referenceOrigin } : {}),
      summary: summaryLine(r),
      chart: driftChart(r, input.model_id),
    };
  },
});

function summaryLine(r: DriftReport): string {
  const n = r.columns.length;
  const cols = r.drifted_columns.length ? `: ${r.drifted_columns.join(", ")}` : "";
  const dataset = r.dataset_drift ? "dataset drift" : "no dataset drift";
  const pred = r.prediction ? (r.prediction.drifted ? "; the prediction drifted" : "; the prediction did not drift") : "";
  return `${r.drifted_columns.length} of ${n} columns drifted${cols} (${Math.round(r.share_drifted * 100)}%, ${dataset} at ${r.drift_share})${pred}.`;
}

/** Each column's drift score (the p-value of a test, else the distance) as a bar, its threshold as a tick, drifted ones red. */
function driftChart(r: DriftReport, modelId: string): Record<string, unknown> {
  const rows = [...r.columns, ...(r.prediction ? [{ ...r.prediction, column: "(prediction)" } satisfies ColumnDrift] : [])].map((c) => ({
    column: c.column,
    method: c.method,
    score: driftScore(c),
    statistic: c.statistic,
    p_value: c.p_value,
    threshold: c.threshold,
    verdict: c.drifted ? "drifted" : "not drifted",
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    description: `Drift score per column of ${modelId}: the p-value for ks, chisquare and z (drift below the threshold), the distance for the others (drift at or above it).`,
    title: `Drift per column (${modelId})`,
    width: 400,
    data: { values: rows },
    encoding: { y: { field: "column", type: "nominal", sort: null, title: "column" } },
    layer: [
      {
        mark: "bar",
        encoding: {
          x: { field: "score", type: "quantitative", title: "drift score (p-value or distance)" },
          color: { field: "verdict", type: "nominal", scale: { domain: ["drifted", "not drifted"], range: ["#b00020", "#1b7f3b"] } },
          tooltip: [
            { field: "column" },
            { field: "method" },
            { field: "statistic", format: ".4g" },
            { field: "p_value", format: ".4g" },
            { field: "threshold" },
            { field: "verdict" },
          ],
        },
      },
      { mark: { type: "tick", color: "black", thickness: 2 }, encoding: { x: { field: "threshold", type: "quantitative" } } },
    ],
  };
}
