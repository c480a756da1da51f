import type { ErrorPayload } from "../../../src/comm/protocol.js";
import { formatMetric } from "./formatMetric.js";

/** An input of the model's signature, as predict answers it. */
export interface SignatureInput {
  name: string;
  type: "double" | "boolean" | "datetime" | "string";
}

/** One field of an endpoint's Try it form: a number box, a checkbox, a date or a text box, prefilled with the example row. */
export interface TryField {
  name: string;
  type: SignatureInput["type"];
  control: "number" | "checkbox" | "date" | "text";
  /** The example's value as the control holds it (a checkbox's checked state, else the text). */
  value: string | boolean;
}

/** What the form sends, or why it cannot: each field with its problem. */
export type FormRow = { ok: true; row: Record<string, string | number | boolean | null> } | { ok: false; problems: { field: string; message: string }[] };

/** What predict answered, as the form shows it. */
export interface PredictionView {
  /** `temp_max (predicted)`. */
  label: string;
  /** The prediction in words: a class label as is, a number as the sidebar shows metrics (0.812, 1234.5). */
  value: string;
  /** The number as it came, for the title. */
  exact: string;
  /** `temp v3 · regression`. */
  detail: string;
}

/** predict's output, as much of it as the form reads (checked before use: it comes over the comm). */
export interface PredictAnswer {
  model: string;
  version: number;
  task: string;
  target: string;
  inputs: SignatureInput[];
  example: Record<string, unknown>;
  predictions: unknown[];
}

const TYPES = new Set(["double", "boolean", "datetime", "string"]);

/** predict's output read defensively; null when it is not what predict answers (an older kernel, another tool). */
export function readPredictAnswer(output: Record<string, unknown>): PredictAnswer | null {
  const { model, version, task, target, inputs, example, predictions } = output;
  if (typeof model !== "string" || typeof version !== "number" || typeof task !== "string" || typeof target !== "string") return null;
  if (!Array.isArray(inputs) || !Array.isArray(predictions) || typeof example !== "object" || example === null) return null;
  const ins: SignatureInput[] = [];
  for (const f of inputs as unknown[]) {
    const name = (f as { name?: unknown })?.name;
    const type = (f as { type?: unknown })?.type;
    if (typeof name !== "string" || typeof type !== "string" || !TYPES.has(type)) return null;
    ins.push({ name, type: type as SignatureInput["type"] });
  }
  return { model, version, task, target, inputs: ins, example: example as Record<string, unknown>, predictions };
}

/** The form's fields, one per input in signature order, each prefilled with the example row's value. */
export function tryFields(inputs: readonly SignatureInput[], example: Record<string, unknown>): TryField[] {
  return inputs.map((f) => {
    const v = example[f.name];
    if (f.type === "boolean") return { name: f.name, type: f.type, control: "checkbox", value: v === true };
    const text = v === null || v === undefined ? "" : String(v);
    if (f.type === "double") return { name: f.name, type: f.type, control: "number", value: text };
    if (f.type === "datetime") return { name: f.name, type: f.type, control: /^\d{4}-\d{2}-\d{2}$/.test(text) ? "date" : "text", value: text };
    return { name: f.name, type: f.type, control: "text", value: text };
  });
}

/**
 * The row the form's values make: a number box's text as a number (empty: a missing value, which
 * the model imputes as in training), a checkbox as true or false, a date or text as typed (empty:
 * missing). A number box holding anything but a finite number is a problem naming the field.
 */
export function rowFromForm(fields: readonly TryField[], values: ReadonlyMap<string, string | boolean>): FormRow {
  const row: Record<string, string | number | boolean | null> = {};
  const problems: { field: string; message: string }[] = [];
  for (const f of fields) {
    const v = values.get(f.name) ?? f.value;
    if (f.control === "checkbox") {
      row[f.name] = v === true;
      continue;
    }
    const text = typeof v === "string" ? v.trim() : "";
    if (text === "") {
      row[f.name] = null;
      continue;
    }
    if (f.type === "double") {
      const n = Number(text);
      if (!Number.isFinite(n)) problems.push({ field: f.name, message: `${f.name}: '${text}' is not a number.` });
      else row[f.name] = n;
      continue;
    }
    row[f.name] = text;
  }
  return problems.length ? { ok: false, problems } : { ok: true, row };
}

/** The first prediction of predict's answer, labelled with the target. */
export function predictionView(answer: PredictAnswer): PredictionView {
  const p = answer.predictions[0];
  return {
    label: `${answer.target} (predicted)`,
    value: typeof p === "number" ? formatMetric(p) : String(p),
    exact: String(p),
    detail: `${answer.model} v${answer.version} · ${answer.task}`,
  };
}

/** A failed predict in lines: the message, the hint, the code. */
export function predictErrorLines(error: ErrorPayload): string[] {
  return [error.message, ...(error.hint ? [error.hint] : []), `code: ${error.code}`];
}
