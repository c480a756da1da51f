import { z } from "zod";
import type { Column, NumberColumn } from "../data/Dataset.js";
import { DwError } from "../errors/DwError.js";
import type { ValueAccessor } from "./ValueAccessor.js";
import { median } from "../data/statistics.js";
import { readNumber, standardization, trainingNumbers } from "./pipelineValues.js";

/**
 * The fitted `interaction` step of a model's pipeline: the product of two numeric columns, as
 * suggest_features proposes them and a named feature pipeline asks for them. Plain data in
 * model.json, applied identically in training, evaluation and serving.
 */
export const InteractionStep = z.object({
  kind: z.literal("interaction"),
  /** The matrix column it produces, named as the feature pipeline's step (`a*b`); not an input column. */
  column: z.string(),
  /** The two numeric input columns it multiplies; they are read even when their own step drops them. */
  inputs: z.tuple([z.string(), z.string()]),
  /** Each input's training median, taken for a missing value before multiplying. */
  impute: z.tuple([z.number(), z.number()]),
  /** Mean and standard deviation of the product on the training rows, when the algorithm scales. */
  scale: z.object({ mean: z.number(), std: z.number() }).optional(),
});
export type InteractionStep = z.infer<typeof InteractionStep>;

/** A product of two numeric columns that a named feature pipeline asks for, output named `column`. */
export interface InteractionSpec {
  column: string;
  inputs: readonly [string, string];
}

/**
 * Fits an interaction on the training rows: each input's median, so a row missing one input still
 * gets a product, and, when the algorithm scales, the product's training mean and std. Its inputs
 * must be among `columns` (the features), whether or not their own step drops them.
 */
export function fitInteraction(asked: InteractionSpec, columns: Column[], trainRows: ArrayLike<number>, scale: boolean): InteractionStep {
  const [a, b] = asked.inputs.map((name) => interactionInput(columns, name, asked.column));
  const impute: [number, number] = [median(trainingNumbers(a, trainRows)), median(trainingNumbers(b, trainRows))];
  const step: InteractionStep = { kind: "interaction", column: asked.column, inputs: [a.name, b.name], impute };
  if (scale) {
    const orElse = (x: number, fill: number) => (Number.isNaN(x) ? fill : x);
    step.scale = standardization(Array.from(trainRows, (r) => orElse(a.values[r], impute[0]) * orElse(b.values[r], impute[1])));
  }
  return step;
}

/** An interaction's input: one of the features, holding numbers. */
function interactionInput(columns: Column[], name: string, interaction: string): NumberColumn {
  const col = columns.find((c) => c.name === name);
  if (col?.type !== "number") {
    throw new DwError(
      "INVALID_INPUT",
      `Interaction '${interaction}' multiplies '${name}', which is ${col ? `a ${col.type} column, not a numeric one` : "not among the features"}.`,
      {
        hint: col
          ? "Interactions take two numeric columns."
          : `Add '${name}' to features (a drop step keeps it out of the matrix while the interaction reads it).`,
        details: { field: "features", column: name, interaction },
      },
    );
  }
  return col;
}

/**
 * Writes an interaction's value for each of `n` rows: the product of its inputs, a missing input
 * taking its training median, standardised when fitted so. A value that is not a number is the
 * same row-and-column error a numeric step gives.
 */
export function applyInteraction(step: InteractionStep, n: number, get: ValueAccessor, put: (row: number, x: number) => void): void {
  const [atA, atB] = step.inputs.map(get);
  const { mean, std } = step.scale ?? { mean: 0, std: 1 };
  for (let i = 0; i < n; i++) {
    const a = readNumber(atA(i), i, step.inputs[0]);
    const b = readNumber(atB(i), i, step.inputs[1]);
    put(i, ((Number.isNaN(a) ? step.impute[0] : a) * (Number.isNaN(b) ? step.impute[1] : b) - mean) / std);
  }
}
