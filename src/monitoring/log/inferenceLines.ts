import { createHmac } from "node:crypto";
import type { ScoringInput } from "../../models/scoreModel.js";
import type { InferenceRecord, LoggedValue } from "./InferenceRecord.js";
import type { PiiColumns } from "./piiColumns.js";

/** One answered request on an alias path, as the server hands it to the inference log. */
export interface InferenceEntry {
  name: string;
  alias: string;
  version: number;
  /** The run the version was trained in (its governance report says which inputs are PII). */
  runId: string;
  requestId: string;
  /** When the answer was sent, epoch ms. */
  t: number;
  /** Arrival to answer, ms. */
  ms: number;
  /** The model's input columns. */
  columns: readonly string[];
  /** The request's rows (read when the batch is written, not on the request path); absent on an error. */
  input?: ScoringInput;
  predictions?: readonly unknown[];
  /** Scoring failed after the model was chosen: the answer's error code. */
  err?: string;
}

/** How PII inputs are kept: keyed-hashed with `key`, or left out (`key` null). */
export interface PiiHandling {
  columns: PiiColumns;
  key: Buffer | null;
}

/**
 * The NDJSON lines of one logged request: one per scored row, or one `err` line. `w` > 1 marks a
 * sampled request (it stands for w). Values the log cannot hold as JSON scalars (a NaN, an object)
 * are null. A PII column's value becomes `hmac:<first 16 hex digits of HMAC-SHA256(key, value)>`
 * (the same value always the same hash within a workspace, so category counts and drift still
 * work) or is left out when there is no key.
 */
export function inferenceLines(e: InferenceEntry, w: number, pii: PiiHandling): string {
  const ms = Math.round(e.ms * 1000) / 1000;
  if (e.err !== undefined || !e.input || !e.predictions) {
    const line: InferenceRecord = {
      t: e.t,
      id: e.requestId,
      row: 0,
      v: e.version,
      x: {},
      y: null,
      ms,
      err: e.err ?? "INTERNAL_ERROR",
      ...(w > 1 ? { w } : {}),
    };
    return `${JSON.stringify(line)}\n`;
  }
  const input = e.input;
  const getters: ((row: number) => unknown)[] = [];
  const keys: string[] = [];
  const hashed: boolean[] = [];
  for (const column of e.columns) {
    const isPii = pii.columns?.has(column) === true;
    if (isPii && !pii.key) continue;
    keys.push(`${getters.length ? "," : ""}${JSON.stringify(column)}:`);
    getters.push(input.value(column));
    hashed.push(isPii);
  }
  // Written out by hand (the same text JSON.stringify gives for an InferenceRecord, keys in the same
  // order): this runs for every logged row, and building an object per row to stringify it cost
  // several times more.
  const head = `{"t":${e.t},"id":${JSON.stringify(e.requestId)},"row":`;
  const mid = `,"v":${e.version},"x":{`;
  const tail = `,"ms":${ms}${w > 1 ? `,"w":${w}` : ""}}\n`;
  let out = "";
  for (let row = 0; row < e.predictions.length; row++) {
    let line = head + row + mid;
    for (let k = 0; k < getters.length; k++) {
      const v = scalar(getters[k](row));
      line += keys[k] + (hashed[k] && v !== null ? `"${keyedHash(pii.key!, v)}"` : json(v));
    }
    out += `${line}},"y":${json(scalar(e.predictions[row]))}${tail}`;
  }
  return out;
}

/** A logged value as JSON text. */
function json(v: LoggedValue): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function scalar(v: unknown): LoggedValue {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  return null;
}

/** `hmac:` and the first 16 hex digits of HMAC-SHA256(key, the value as text). */
export function keyedHash(key: Buffer, v: string | number | boolean): string {
  return `hmac:${createHmac("sha256", key).update(String(v)).digest("hex").slice(0, 16)}`;
}
