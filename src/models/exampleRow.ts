import type { ModelJson } from "./ModelJson.js";

/**
 * One plausible input row, in signature order: each numeric input's median on the training rows,
 * the first known category of a text input, a date built from the imputed date parts, false for a
 * boolean.
 */
export function exampleRow(model: ModelJson): unknown[] {
  return model.signature.inputs.map((f) => {
    // An interaction's column is its output, not an input: its inputs are numeric, read below as such.
    const step = model.preprocessing.steps.find((s) => s.column === f.name && s.kind !== "interaction");
    if (!step || step.kind === "numeric") {
      const m = Object.hasOwn(model.reference_stats, f.name) ? model.reference_stats[f.name].quantiles.p50 : 0;
      return Number.isFinite(m) ? Number(m.toPrecision(4)) : 0;
    }
    if (step.kind === "onehot") return step.numeric ? Number(step.categories[0] ?? 0) : (step.categories[0] ?? "");
    if (step.kind === "ordinal") return step.categories[0] ?? "";
    if (step.kind === "boolean") return step.impute === 1;
    const [y, mo, d] = step.impute.map((x) => Math.round(x));
    return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  });
}
