import { DwError } from "../errors/DwError.js";
import { requireColumn } from "../data/requireColumn.js";
import type { Dataset } from "../data/Dataset.js";
import { interactionName, TRANSFORM_TYPES, type FeaturePipelineStep, type Transform } from "./FeaturePipeline.js";

/**
 * Checks a feature pipeline's definition against the dataset it is defined on, as
 * create_feature_pipeline takes it: columns exist, features are listed once, each step's column is
 * a feature, its transform fits the column's type, and a column's steps agree; interaction steps
 * are checked by checkInteraction. The first problem found is an INVALID_INPUT naming the field.
 *
 * @example
 * ```ts
 * checkPipelineDefinition(ds, "weather", ["wind"], [{ column: "wind", transform: "standardize" }]);
 * ```
 */
export function checkPipelineDefinition(ds: Dataset, datasetId: string, features: string[], steps: FeaturePipelineStep[]): void {
  const seen = new Set<string>();
  features.forEach((f, i) => {
    requireColumn(ds, f, `features[${i}]`, datasetId);
    if (seen.has(f))
      throw new DwError("INVALID_INPUT", `Feature '${f}' is listed twice.`, {
        hint: "List each column once.",
        details: { field: `features[${i}]`, column: f },
      });
    seen.add(f);
  });
  const byColumn = new Map<string, Transform[]>();
  const products = new Map<string, number>();
  const interactionAt = new Map(steps.flatMap((s, i) => (s.transform === "interaction" ? [[s.column, i] as const] : [])));
  steps.forEach((s, i) => {
    const field = `steps[${i}]`;
    if (s.transform === "interaction") {
      checkInteraction(ds, datasetId, seen, s, i, products);
      return;
    }
    if (s.inputs !== undefined) {
      throw new DwError("INVALID_INPUT", `Step ${i} (${s.transform}) has inputs, which only interaction steps take.`, {
        hint: `Remove ${field}.inputs; '${s.transform}' applies to its column alone.`,
        details: { field: `${field}.inputs`, column: s.column, transform: s.transform },
      });
    }
    const made = interactionAt.get(s.column);
    if (made !== undefined) {
      throw new DwError(
        "INVALID_INPUT",
        `Step ${i} (${s.transform}) is on '${s.column}', the column interaction step ${made} makes: transforms apply to dataset columns.`,
        {
          hint: "Remove the step: an interaction's missing inputs are imputed with their medians, and it is standardized when the algorithm needs it.",
          details: { field: `${field}.column`, column: s.column, transform: s.transform },
        },
      );
    }
    const col = requireColumn(ds, s.column, `${field}.column`, datasetId);
    if (!seen.has(s.column)) {
      throw new DwError("INVALID_INPUT", `Step ${i} (${s.transform}) is on column '${s.column}', which is not in features.`, {
        hint: `Add '${s.column}' to features, or remove the step.`,
        details: { field: `${field}.column`, column: s.column, transform: s.transform },
      });
    }
    const allowed = TRANSFORM_TYPES[s.transform];
    if (!allowed.includes(col.type)) {
      throw new DwError(
        "INVALID_INPUT",
        `Transform '${s.transform}' cannot apply to column '${s.column}', which holds ${col.type} values: ${s.transform} takes ${allowed.join(" or ")} columns.`,
        {
          hint: suggestion(s.transform, col.type),
          details: { field, column: s.column, transform: s.transform, type: col.type, allowed },
        },
      );
    }
    if (s.transform === "log1p" && col.type === "number") {
      let min = Infinity;
      for (const v of col.values) if (v < min) min = v;
      if (min <= -1) {
        throw new DwError("INVALID_INPUT", `Transform 'log1p' cannot apply to column '${s.column}': it holds ${min}, and log1p is undefined at or below -1.`, {
          hint: "Use standardize instead, or shift the column before loading it.",
          details: { field, column: s.column, transform: s.transform, min },
        });
      }
    }
    const before = byColumn.get(s.column) ?? [];
    const clash = before.find(
      (t) =>
        t === s.transform ||
        t === "drop" ||
        s.transform === "drop" ||
        CLASHES.some(([a, b]) => (a === t && b === s.transform) || (b === t && a === s.transform)),
    );
    if (clash) {
      throw new DwError(
        "INVALID_INPUT",
        clash === s.transform
          ? `Column '${s.column}' has the step '${s.transform}' twice.`
          : `Column '${s.column}' has both '${clash}' and '${s.transform}' steps, which contradict each other.`,
        {
          hint: "Keep one of them.",
          details: { field, column: s.column, transform: s.transform },
        },
      );
    }
    byColumn.set(s.column, [...before, s.transform]);
  });
}

/**
 * An interaction step multiplies two distinct numeric features, given as `inputs`, and is named
 * after them (`a*b`, as suggest_features names it), a name that no dataset column has and no
 * other interaction step makes. `products` records, across the steps, each pair of inputs (sorted,
 * NUL-joined) and each name made (after a "column" NUL prefix), with the step that did.
 */
function checkInteraction(ds: Dataset, datasetId: string, features: Set<string>, s: FeaturePipelineStep, i: number, products: Map<string, number>): void {
  const field = `steps[${i}]`;
  const inputs = s.inputs ?? [];
  const fail = (message: string, hint: string, at: string, details: Record<string, unknown> = {}) => {
    throw new DwError("INVALID_INPUT", message, { hint, details: { field: at, column: s.column, transform: s.transform, ...details } });
  };
  if (inputs.length !== 2) {
    fail(
      `Step ${i} (interaction) needs exactly two inputs; it has ${inputs.length === 0 ? "none" : inputs.length}.`,
      `Set ${field}.inputs to the two numeric columns to multiply, e.g. ["a", "b"] for column "a*b", as suggest_features proposes them.`,
      `${field}.inputs`,
    );
  }
  if (inputs[0] === inputs[1]) {
    fail(`Step ${i} (interaction) multiplies '${inputs[0]}' by itself; its two inputs must differ.`, "Name two different numeric columns.", `${field}.inputs`);
  }
  inputs.forEach((name, k) => {
    const at = `${field}.inputs[${k}]`;
    const col = requireColumn(ds, name, at, datasetId);
    if (!TRANSFORM_TYPES.interaction.includes(col.type)) {
      fail(
        `Step ${i} (interaction) cannot multiply '${name}', which holds ${col.type} values: interaction takes two numeric columns.`,
        "Choose numeric columns; encode others with one_hot or ordinal steps of their own.",
        at,
        { input: name, type: col.type },
      );
    }
    if (!features.has(name)) {
      fail(
        `Step ${i} (interaction) reads '${name}', which is not in features.`,
        `Add '${name}' to features (with a drop step on it if it should not also be a feature by itself), or remove the step.`,
        at,
        { input: name },
      );
    }
  });
  const name = interactionName(inputs);
  if (s.column !== name) {
    fail(
      `Step ${i} (interaction) is named '${s.column}'; an interaction of '${inputs[0]}' and '${inputs[1]}' is named '${name}'.`,
      `Set ${field}.column to '${name}' (its inputs joined by '*').`,
      `${field}.column`,
    );
  }
  if (ds.columns.some((c) => c.name === name)) {
    fail(
      `Step ${i} (interaction) would make '${name}', which is already a column of dataset '${datasetId}'.`,
      `Swap the inputs (making '${interactionName([...inputs].reverse())}'), or rename the dataset's column.`,
      `${field}.column`,
    );
  }
  const key = [...inputs].sort().join("\u0000");
  const before = products.get(key);
  if (before !== undefined) {
    fail(`Step ${i} (interaction) multiplies '${inputs[0]}' and '${inputs[1]}', as step ${before} does already.`, "Keep one of them.", field);
  }
  // Input names holding '*' can make one name twice: ["a*b", "c"] and ["a", "b*c"] both make 'a*b*c'.
  const sameName = products.get(`column\u0000${name}`);
  if (sameName !== undefined) {
    fail(
      `Step ${i} (interaction) would make '${name}', which step ${sameName} makes already from other inputs.`,
      "Keep one of them, or swap this step's inputs.",
      `${field}.column`,
    );
  }
  products.set(key, i);
  products.set(`column\u0000${name}`, i);
}

/** Pairs of transforms that cannot both apply to one column. */
const CLASHES: [Transform, Transform][] = [
  ["one_hot", "ordinal"],
  ["impute_median", "impute_mode"],
];

function suggestion(transform: Transform, type: string): string {
  if (type === "string") return "Text columns take one_hot, ordinal, impute_mode or drop.";
  if (type === "date") return "Date columns take date_parts, impute_mode or drop.";
  if (type === "boolean") return "Boolean columns take one_hot, ordinal, impute_mode or drop.";
  return `Numeric columns take impute_median, impute_mode, standardize, log1p, one_hot or drop${transform === "ordinal" ? " (they are ordered already)" : ""}.`;
}
