/**
 * A training that is running, or ended badly a short while ago, as get_ml_status and the sidebar
 * show it: which tool, on what, its stage and progress, and its error. Each running train_model
 * and select_model keeps one in `.dw/trainings/<id>.json` (recordTraining.ts); this file imports
 * nothing but zod, so the labextension can compile it too.
 */
import { z } from "zod";

export const TrainingState = z
  .enum(["running", "failed", "interrupted"])
  .describe(
    "running: its process is at work; failed: it stopped with an error; interrupted: it was interrupted, or its process ended without finishing (killed or crashed).",
  );
export type TrainingState = z.infer<typeof TrainingState>;

export const TrainingActivity = z.object({
  id: z.string().describe("The record's id (process id and a random part); not a run id: a run id exists only once the run is written."),
  tool: z.enum(["train_model", "select_model"]),
  dataset_id: z.string(),
  target: z.string(),
  algorithm: z.string().optional().describe("What train_model fits; select_model tries several."),
  pid: z.number().int().describe("The process doing the training."),
  started_at: z.string(),
  updated_at: z.string().describe("When the record last changed: a stage began or progress was reported."),
  state: TrainingState,
  stage: z.string().describe("What it was doing last, e.g. 'fitting' or 'checking gates'."),
  progress: z
    .object({ message: z.string(), done: z.number(), total: z.number().optional() })
    .nullable()
    .describe("The last progress reported in this stage (trees built, folds cross-validated), or null when none was."),
  error: z.object({ code: z.string(), message: z.string() }).optional().describe("Why it failed or stopped."),
  ended_at: z.string().optional(),
});
export type TrainingActivity = z.infer<typeof TrainingActivity>;
