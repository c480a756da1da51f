import { DwError } from "../errors/DwError.js";
import { MODEL_NAME } from "../registry/refs.js";

/** `experiment.json` at the root of an experiment commit's tree. */
export interface ExperimentRecord {
  name: string;
  description: string | null;
  tags: Record<string, string>;
  created_at: string;
}

/** An experiment is a ref whose commits form its history: creation, then one commit per attached run. */
export const experimentRef = (name: string) => `refs/dw/experiments/${name}`;

/** Experiment names follow the model-name rule, so they are safe as one ref component. */
export function checkExperimentName(name: string, field = "name"): void {
  if (!MODEL_NAME.test(name) || name.endsWith(".lock") || name.includes("..")) {
    throw new DwError("INVALID_INPUT", `'${name}' is not a valid experiment name.`, {
      hint: "Use letters, digits, '.', '_' and '-', starting with a letter or digit (at most 100 characters).",
      details: { field },
    });
  }
}
