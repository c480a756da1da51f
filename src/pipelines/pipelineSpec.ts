import { DwError } from "../errors/DwError.js";
import { getColumn, type Dataset } from "../data/Dataset.js";
import type { PipelineSpec } from "../models/preprocessing.js";
import type { FeaturePipelineRecord } from "./FeaturePipeline.js";

/**
 * What a named feature pipeline asks fitPipeline for (transforms by column, and interactions),
 * after checking that the dataset still has each column it names with the type it was defined on,
 * and that the run's features hold every column an interaction reads.
 */
export function pipelineSpec(def: FeaturePipelineRecord, ds: Dataset, features: string[], name: string): PipelineSpec {
  for (const c of def.dataset.columns) {
    if (!def.features.includes(c.name) || !features.includes(c.name)) continue;
    const now = getColumn(ds, c.name);
    if (!now) {
      throw new DwError("INVALID_INPUT", `Pipeline '${name}' uses column '${c.name}', which this dataset does not have.`, {
        hint: `Columns: ${ds.columns.map((x) => x.name).join(", ")}.`,
        details: { field: "pipeline", column: c.name },
      });
    }
    if (now.type !== c.type) {
      throw new DwError("DATA_ERROR", `Pipeline '${name}' was defined with '${c.name}' as ${c.type}; in this dataset it holds ${now.type} values.`, {
        hint: "Define a new version of the pipeline on this data, or fix the column.",
        details: { field: "pipeline", column: c.name },
      });
    }
  }
  const transforms = new Map<string, string[]>();
  const interactions: PipelineSpec["interactions"][number][] = [];
  for (const step of def.steps) {
    if (step.transform !== "interaction") {
      transforms.set(step.column, [...(transforms.get(step.column) ?? []), step.transform]);
      continue;
    }
    const [a, b] = step.inputs ?? [];
    // Features passed to train_model replace the pipeline's: an interaction cannot read a column left out.
    const absent = [a, b].find((input) => !features.includes(input));
    if (absent !== undefined) {
      throw new DwError(
        "INVALID_INPUT",
        `Pipeline '${name}' multiplies '${a}' and '${b}' (interaction '${step.column}'), but '${absent}' is not in features.`,
        {
          hint: `Add '${absent}' to --features, or leave --features out to use the pipeline's.`,
          details: { field: "features", column: absent, interaction: step.column },
        },
      );
    }
    interactions.push({ column: step.column, inputs: [a, b] });
  }
  return { transforms, interactions };
}
