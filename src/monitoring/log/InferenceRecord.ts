/** An input value as the inference log keeps it: the request's value, or a keyed hash (`hmac:<hex16>`) of a PII column's. */
export type LoggedValue = number | string | boolean | null;

/**
 * One line of a deployment's inference log (`.dw/monitoring/<name>/<alias>/requests/*.ndjson`):
 * one scored row, or one line for a request whose scoring failed after its model was chosen.
 */
export interface InferenceRecord {
  /** When the answer was sent, epoch milliseconds. */
  t: number;
  /** The request id (the X-Request-Id the answer carried). */
  id: string;
  /** The row's position in its request (0 for an `err` line). */
  row: number;
  /** The model version that answered. */
  v: number;
  /** The model's inputs as the request carried them; PII columns keyed-hashed or left out, per the policy. `{}` on an `err` line. */
  x: Record<string, LoggedValue>;
  /** The prediction (a class label for a classifier); null on an `err` line. */
  y: number | string | boolean | null;
  /** The request's latency, arrival to answer, in milliseconds. */
  ms: number;
  /** Scoring failed after the model was chosen: the answer's error code. The line stands for the whole request. */
  err?: string;
  /**
   * Above `full_rate_per_second` only one request in `w` is logged, and its lines say `w`: it
   * stands for w requests (absent: 1). Sum w over requests to estimate the traffic.
   */
  w?: number;
}

/** One line of a deployment's feedback log: the ground truth for a row of an earlier request. */
export interface FeedbackRecord {
  /** When the label arrived, epoch milliseconds. */
  t: number;
  /** The request id the label is for. */
  id: string;
  /** The row of that request (0 for a one-row request). */
  row: number;
  label: number | string | boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isScalar = (v: unknown) => v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** The record a parsed log line holds, or null when the line is not one (a damaged line, counted by the reader). */
export function asInferenceRecord(v: unknown): InferenceRecord | null {
  if (!isObject(v)) return null;
  if (!(typeof v.t === "number" && Number.isFinite(v.t) && typeof v.id === "string" && isCount(v.row) && isCount(v.v))) return null;
  if (!(isObject(v.x) && isScalar(v.y) && typeof v.ms === "number")) return null;
  for (const k in v.x) if (!isScalar(v.x[k])) return null;
  if (v.err !== undefined && typeof v.err !== "string") return null;
  if (v.w !== undefined && !(typeof v.w === "number" && v.w >= 1)) return null;
  return v as unknown as InferenceRecord;
}

/** The feedback a parsed log line holds, or null when the line is not one. */
export function asFeedbackRecord(v: unknown): FeedbackRecord | null {
  if (!isObject(v)) return null;
  if (!(typeof v.t === "number" && Number.isFinite(v.t) && typeof v.id === "string" && isCount(v.row))) return null;
  if (!(v.label !== null && isScalar(v.label))) return null;
  return v as unknown as FeedbackRecord;
}
