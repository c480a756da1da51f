import { z } from "zod";
import { MODEL_NAME_RULE, checkName, isModelName } from "../workspace/refNames.js";

/** `experiment.json` at the root of an experiment commit's tree: written once, when the experiment is created. */
export const ExperimentRecord = z.looseObject({
  name: z.string(),
  description: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  created_at: z.string(),
});
export type ExperimentRecord = z.infer<typeof ExperimentRecord>;

/** `runs.json` beside it: the run ids attached, in the order they were attached (each attachment is a commit). */
export const ExperimentRuns = z.array(z.string());
export type ExperimentRuns = z.infer<typeof ExperimentRuns>;

/** An experiment is a ref whose commits form its history: creation, then one commit per attached run. */
export const experimentRef = (name: string) => `refs/dw/experiments/${name}`;

/** Experiment names follow the model-name rule, so they are safe as one ref component. */
export function checkExperimentName(name: string, field = "name"): void {
  checkName(name, isModelName, "experiment name", `Use ${MODEL_NAME_RULE}.`, field);
}
