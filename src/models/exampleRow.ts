import type { ModelJson } from "./ModelJson.js";

/** One plausible input row: each feature's median in the training data, rounded for reading. */
export function exampleRow(model: ModelJson): number[] {
  return model.signature.inputs.map((f) => {
    const m = model.reference_stats[f.name]?.quantiles.p50 ?? 0;
    return Number.isFinite(m) ? Number(m.toPrecision(4)) : 0;
  });
}
