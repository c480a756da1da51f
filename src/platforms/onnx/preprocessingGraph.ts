import type { Pipeline, PipelineStep } from "../../models/preprocessing.js";
import type { InteractionStep } from "../../models/interactionStep.js";
import type { GraphBuilder } from "./GraphBuilder.js";
import type { ElementType } from "./encodeOnnxModel.js";
import { notExportable } from "./notExportable.js";
import { datePartsGraph } from "./datePartsGraph.js";

/** The parts dw's dateParts computes: year, month, day, day of week, day of year. */
const DATE_PARTS = 5;

/**
 * The ONNX element type of each signature type, as a graph input: text as strings ("" missing),
 * everything else as doubles (NaN missing): numbers, booleans as 1/0, and dates as milliseconds
 * since 1970-01-01 UTC (the number Date.parse gives dw for the text).
 */
export const INPUT_TYPES: Record<string, ElementType> = { double: "double", boolean: "double", datetime: "double", string: "string" };

/**
 * Adds the nodes that turn the raw inputs into the matrix dw's estimator reads, one step at a
 * time exactly as `transform` (src/models/preprocessing.ts) computes it, and returns the name of
 * that [N, p] double matrix. `inputs` maps each raw column to its graph input, a 1-D tensor of N
 * values (doubles with NaN for a missing number, or strings with "" for a missing category).
 * Every operation is one IEEE double operation dw also makes (Where, Sub, Div, Mul, equality), so
 * the matrix is dw's bit for bit; log1p is Log(1 + x), within one rounding of Math.log1p. Date
 * parts are whole-number calendar arithmetic on the date's milliseconds (datePartsGraph). A step
 * that does not fit what dw writes is refused, naming the column.
 */
export function preprocessingGraph(b: GraphBuilder, pipeline: Pipeline, inputs: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const step of pipeline.steps) parts.push(stepGraph(b, step, inputs));
  if (parts.length === 0) throw notExportable("its pipeline has no steps", {}, "Retrain the model with at least one feature.");
  return b.node("Concat", parts, { hint: "features", attributes: [{ name: "axis", kind: "int", value: 1 }] });
}

/** One step's columns of the matrix, [N, width] doubles. */
function stepGraph(b: GraphBuilder, step: PipelineStep, inputs: ReadonlyMap<string, string>): string {
  const input = (column: string) => {
    const name = inputs.get(column);
    if (name === undefined) throw new Error(`preprocessingGraph: no graph input for column '${column}'`);
    return name;
  };
  switch (step.kind) {
    case "numeric": {
      let x = input(step.column);
      if (step.log1p) x = b.node("Log", [b.node("Add", [x, scalar(b, 1)], { hint: `${step.column}.plus_one` })], { hint: `${step.column}.log1p` });
      const v = standardized(b, imputed(b, x, step.impute, step.column), step.scale, step.column);
      return column(b, v, step.column);
    }
    case "boolean":
      return column(b, imputed(b, input(step.column), step.impute, step.column), step.column);
    case "interaction":
      return column(b, interaction(b, step, input), step.column);
    case "onehot":
      return step.numeric ? numericOneHot(b, step, input(step.column)) : textOneHot(b, step, input(step.column));
    case "ordinal": {
      // Codes 0..K-1 for the categories, -1 for unseen; a missing value ("") takes the imputed category's code, else -1.
      const codes = labelCodes(b, step.column, input(step.column), step.categories, -1, step.impute);
      return column(b, b.node("Cast", [codes], { hint: `${step.column}#ordinal`, attributes: [{ name: "to", kind: "int", value: 11 }] }), step.column);
    }
    case "date":
      if (step.parts.length > DATE_PARTS || step.impute.length < step.parts.length) {
        throw notExportable(
          `column '${step.column}' has a date step of ${step.parts.length} parts with ${step.impute.length} imputed values`,
          { column: step.column, step: "date", unsupported: "date_parts" },
          "Retrain the model with this version of dw, then export that version.",
        );
      }
      return datePartsGraph(b, input(step.column), step.parts.length, step.impute, step.column);
  }
}

/** x with NaN replaced by `value`. */
function imputed(b: GraphBuilder, x: string, value: number, column: string): string {
  const missing = b.node("IsNaN", [x], { hint: `${column}.missing` });
  return b.node("Where", [missing, scalar(b, value), x], { hint: `${column}.imputed` });
}

/** (x − mean) / std when the step scales; x itself otherwise (dw's (x − 0) / 1 is x exactly). */
function standardized(b: GraphBuilder, x: string, scale: { mean: number; std: number } | undefined, column: string): string {
  if (!scale) return x;
  const centred = b.node("Sub", [x, scalar(b, scale.mean)], { hint: `${column}.centred` });
  return b.node("Div", [centred, scalar(b, scale.std)], { hint: `${column}.scaled` });
}

/** The product of two raw numeric inputs, each imputed by its median, standardised when fitted so (applyInteraction). */
function interaction(b: GraphBuilder, step: InteractionStep, input: (column: string) => string): string {
  const [a, c] = step.inputs.map((name, k) => imputed(b, input(name), step.impute[k], `${step.column}.${name}`));
  return standardized(b, b.node("Mul", [a, c], { hint: step.column }), step.scale, step.column);
}

/**
 * A text one-hot step: each value's category index by a LabelEncoder (unseen values to `other`,
 * index K, or to −1 with no other column; "" is missing: the imputed category or `other`), then
 * compared with 0..width−1. dw never matches "" as a category (it is a missing value), and neither
 * does this: "" is only ever a key for the missing value.
 */
function textOneHot(b: GraphBuilder, step: Extract<PipelineStep, { kind: "onehot" }>, x: string): string {
  const K = step.categories.length;
  const width = K + (step.other ? 1 : 0);
  const codes = labelCodes(b, step.column, x, step.categories, step.other ? K : -1, step.impute);
  return indicators(b, step.column, codes, width);
}

/**
 * A one-hot step of a numeric column (categories written in canonical form): the value, a missing
 * one taking the imputed category, compared as a double with each category's number; `other` is
 * 1 when none matched. Equal numbers are equal canonical forms (String(x) of a double is unique
 * for its value, −0 and 0 both "0"), so this matches exactly what dw's text comparison matches.
 */
function numericOneHot(b: GraphBuilder, step: Extract<PipelineStep, { kind: "onehot" }>, x: string): string {
  const numbers = step.categories.map((c) => canonicalValue(c, step.column));
  let v = x;
  if (step.impute !== undefined) v = imputed(b, x, canonicalValue(step.impute, step.column), step.column);
  const col = column(b, v, step.column);
  const equal = b.node("Equal", [col, b.constant(`${step.column}.categories`, "double", [numbers.length], numbers)], { hint: `${step.column}.is` });
  const onehot = b.node("Cast", [equal], { hint: `${step.column}.onehot`, attributes: [{ name: "to", kind: "int", value: 11 }] });
  if (!step.other) return onehot;
  const matched = b.node("ReduceSum", [onehot, b.constant(`${step.column}.axis`, "int64", [1], [1])], {
    hint: `${step.column}.matched`,
    attributes: [{ name: "keepdims", kind: "int", value: 1 }],
  });
  const other = b.node("Sub", [scalar(b, 1), matched], { hint: `${step.column}=(other)` });
  return b.node("Concat", [onehot, other], { hint: `${step.column}.onehot_other`, attributes: [{ name: "axis", kind: "int", value: 1 }] });
}

/** A canonical number category as the double it writes; anything else cannot be compared as a number. */
function canonicalValue(category: string, column: string): number {
  const x = Number(category);
  if (category.trim() === "" || !Number.isFinite(x) || String(x) !== category) {
    throw notExportable(
      `column '${column}' is one-hot encoded as numbers, but its category '${category.slice(0, 40)}' is not a number in canonical form`,
      { column, step: "onehot", unsupported: "onehot_numeric_category" },
      "Retrain the model with this version of dw, then export that version.",
    );
  }
  return x;
}

/**
 * Each text value's code (int64, [N]): category k ↦ k, unseen ↦ `unseen`, missing ("") ↦ the
 * imputed category's code, or `unseen` when there is none.
 */
function labelCodes(b: GraphBuilder, column: string, x: string, categories: readonly string[], unseen: number, impute: string | undefined): string {
  const keys: string[] = [];
  const values: number[] = [];
  categories.forEach((c, k) => {
    if (c === "") return; // "" is a missing value in dw, never a category it matches
    keys.push(c);
    values.push(k);
  });
  const imputedCode = impute === undefined ? -1 : categories.indexOf(impute);
  keys.push("");
  values.push(imputedCode >= 0 ? imputedCode : unseen);
  return b.node("LabelEncoder", [x], {
    hint: `${column}.code`,
    domain: "ai.onnx.ml",
    attributes: [
      { name: "keys_strings", kind: "strings", value: keys },
      { name: "values_int64s", kind: "ints", value: values },
      { name: "default_int64", kind: "int", value: unseen },
    ],
  });
}

/** [N] codes as [N, width] doubles: 1 where the code equals the column index, else 0. */
function indicators(b: GraphBuilder, column: string, codes: string, width: number): string {
  const index = b.constant(
    `${column}.indices`,
    "int64",
    [width],
    Array.from({ length: width }, (_, k) => k),
  );
  const equal = b.node("Equal", [unsqueezed(b, codes, column), index], { hint: `${column}.is` });
  return b.node("Cast", [equal], { hint: `${column}.onehot`, attributes: [{ name: "to", kind: "int", value: 11 }] });
}

/** [N] as [N, 1]. */
function column(b: GraphBuilder, x: string, name: string): string {
  return unsqueezed(b, x, name);
}

function unsqueezed(b: GraphBuilder, x: string, name: string): string {
  return b.node("Unsqueeze", [x, b.constant("axis1", "int64", [1], [1])], { hint: `${name}.column` });
}

function scalar(b: GraphBuilder, value: number): string {
  return b.constant("c", "double", [], [value]);
}
