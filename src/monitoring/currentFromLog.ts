import type { FeedbackRecord, InferenceRecord, LoggedValue } from "./log/InferenceRecord.js";
import type { DriftCurrent, DriftValues } from "./DriftSide.js";

/** What the log's rows are compared with: the inputs by name and kind, and whether predictions are class labels. */
export interface LogShape {
  columns: { name: string; kind: "number" | "category" }[];
  task: "regression" | "classification";
}

/** Which deployment and version the records are from, for the report, and the inputs not logged in clear. */
export interface LogWindowInfo {
  deployment: string;
  /** Only rows this version answered are compared (the reference is that version's); absent: every row. */
  version?: number;
  /** Inputs the governance scan marked as PII: hashed or dropped in the log, so not comparable. */
  pii?: ReadonlySet<string> | null;
}

/**
 * A window of a deployment's inference log as the current side of a drift check: each input's
 * logged values by name (numbers, numeric text read as numbers; categories as text, booleans as
 * "true"/"false" as datasets hold them), the predictions, and for rows whose label arrived
 * (feedback keyed `<request_id>:<row>`) the label beside the prediction. Failed requests and rows
 * of other versions are left out; PII inputs are skipped with the reason.
 *
 * @example
 * ```ts
 * const { records } = await readInferenceWindow(ws.root, "churn", "production", { last: 5000 });
 * const current = currentFromLog(records, shape, await readFeedback(ws.root, "churn", "production"), { deployment: "churn@production", version: 3 });
 * ```
 */
export function currentFromLog(
  records: readonly InferenceRecord[],
  shape: LogShape,
  feedback: ReadonlyMap<string, FeedbackRecord>,
  info: LogWindowInfo,
): DriftCurrent {
  const rows = records.filter((r) => r.err === undefined && (info.version === undefined || r.v === info.version));
  const n = rows.length;
  const features = new Map<string, DriftValues>();
  const skipped: { column: string; reason: string }[] = [];
  for (const { name, kind } of shape.columns) {
    if (info.pii?.has(name)) {
      skipped.push({ column: name, reason: "personal data: the inference log keeps it hashed or not at all, so it cannot be compared" });
      continue;
    }
    features.set(name, kind === "number" ? numbers(rows, (r) => r.x[name]) : texts(rows, (r) => r.x[name]));
  }
  const prediction = shape.task === "classification" ? texts(rows, (r) => r.y) : numbers(rows, (r) => r.y);
  const truth: (number | string)[] = [];
  const predicted: (number | string)[] = [];
  for (const r of rows) {
    const label = feedback.get(`${r.id}:${r.row}`);
    if (!label || r.y === null) continue;
    truth.push(typeof label.label === "boolean" ? String(label.label) : label.label);
    predicted.push(typeof r.y === "boolean" ? String(r.y) : r.y);
  }
  const versions = [...new Set(rows.map((r) => r.v))].sort((a, b) => a - b);
  return {
    describe: {
      source: "log",
      deployment: info.deployment,
      rows: n,
      ...(n ? { from: new Date(rows[0].t).toISOString(), to: new Date(rows[n - 1].t).toISOString() } : {}),
      versions,
    },
    rows: n,
    features,
    prediction,
    skipped,
    labelled: { truth, predicted },
  };
}

function numbers(rows: readonly InferenceRecord[], get: (r: InferenceRecord) => LoggedValue): DriftValues {
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = get(rows[i]);
    values[i] = typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  }
  return { kind: "number", values };
}

function texts(rows: readonly InferenceRecord[], get: (r: InferenceRecord) => LoggedValue): DriftValues {
  return { kind: "category", values: rows.map((r) => textOf(get(r))) };
}

function textOf(v: LoggedValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v === "" ? null : v;
  return String(v);
}
