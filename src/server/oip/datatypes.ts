import type { LoadedModel } from "../../models/scoreModel.js";

/** The Open Inference Protocol's tensor element types (BF16 is Triton's, binary only in its client). */
export const DATATYPES = ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64", "BYTES"] as const;
export type Datatype = (typeof DATATYPES)[number];

const KNOWN: ReadonlySet<string> = new Set(DATATYPES);

export function isDatatype(s: unknown): s is Datatype {
  return typeof s === "string" && KNOWN.has(s);
}

/** Bytes per element in the binary tensor extension; BYTES elements carry their own 4-byte length. */
export function elementSize(t: Exclude<Datatype, "BYTES">): number {
  switch (t) {
    case "BOOL":
    case "UINT8":
    case "INT8":
      return 1;
    case "UINT16":
    case "INT16":
    case "FP16":
    case "BF16":
      return 2;
    case "UINT32":
    case "INT32":
    case "FP32":
      return 4;
    case "UINT64":
    case "INT64":
    case "FP64":
      return 8;
  }
}

/** The range of an integer datatype (the 64-bit bounds as doubles: a JSON number is one). */
export function integerRange(t: Datatype): [number, number] | null {
  switch (t) {
    case "INT8":
      return [-128, 127];
    case "INT16":
      return [-32768, 32767];
    case "INT32":
      return [-(2 ** 31), 2 ** 31 - 1];
    case "INT64":
      return [-(2 ** 63), 2 ** 63];
    case "UINT8":
      return [0, 255];
    case "UINT16":
      return [0, 65535];
    case "UINT32":
      return [0, 2 ** 32 - 1];
    case "UINT64":
      return [0, 2 ** 64];
    default:
      return null;
  }
}

/**
 * The datatype a signature column is advertised with in model metadata: what a client should send.
 * Text and dates travel as BYTES (UTF-8 strings); the signature's safe casts still accept others
 * (a number tensor for a text column is read as its text, an INT 0/1 tensor for a boolean column).
 */
export function inputDatatype(type: "double" | "boolean" | "datetime" | "string"): Datatype {
  return type === "double" ? "FP64" : type === "boolean" ? "BOOL" : "BYTES";
}

/** The name of the one output tensor every dw model answers with (MLServer's name for a scikit-learn model's predictions). */
export const OUTPUT_NAME = "predict";

/**
 * The datatype of a model's predictions: FP64 for regression; for classification, from its class
 * labels: BOOL when all are booleans, INT64 when all are whole numbers, FP64 when all are numbers,
 * otherwise BYTES (each label as its text).
 */
export function outputDatatype(model: LoadedModel): Datatype {
  const classes = model.json.classes;
  if (model.json.task !== "classification" || !classes) return "FP64";
  if (classes.every((c) => typeof c === "boolean")) return "BOOL";
  if (classes.every((c) => typeof c === "number" && Number.isSafeInteger(c))) return "INT64";
  if (classes.every((c) => typeof c === "number")) return "FP64";
  return "BYTES";
}
