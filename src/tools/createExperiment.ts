import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { experimentRef } from "../experiments/Experiment.js";
import { ensureExperiment } from "../experiments/ensureExperiment.js";

export const CreateExperimentInput = z.strictObject({
  name: z.string().min(1).describe("Experiment name, e.g. temp-features; it is also the experiment's id."),
  description: z.string().optional().describe("What the experiment tries to find out."),
  tags: z.record(z.string(), z.string()).optional().describe('Labels to filter and read by, e.g. {"team": "forecast"}.'),
});
export type CreateExperimentInput = z.infer<typeof CreateExperimentInput>;

export const CreateExperimentOutput = z.object({
  experiment_id: z.string().describe("The experiment's id (its name); pass it to log_metrics and compare_experiments."),
  name: z.string(),
  created: z.boolean().describe("false when an identical experiment already existed and is returned as it was."),
  created_at: z.string(),
  commit: z.string().describe("The experiment's head commit; refs/dw/experiments/<name> points at it."),
  ref: z.string(),
  description: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  runs: z.array(z.string()).describe("Run ids attached so far."),
});
export type CreateExperimentOutput = z.infer<typeof CreateExperimentOutput>;

/**
 * Creates an experiment, a named group of runs: a commit under refs/dw/experiments/<name> holding
 * experiment.json and an empty runs.json. Creating it again with the same description and tags
 * returns the existing one (`created: false`), so a notebook can be re-run from the top.
 *
 * @example
 * ```ts
 * const exp = await dw.createExperiment({ name: "temp-features", tags: { team: "forecast" } });
 * exp.experiment_id; // "temp-features"
 * ```
 */
export const createExperiment = defineTool({
  name: "create_experiment",
  annotations: { effect: "writes", idempotent: true },
  description: "Create an experiment (a named group of runs to compare), stored as a git commit under refs/dw/experiments/<name>.",
  input: CreateExperimentInput,
  output: CreateExperimentOutput,
  magic: { positional: "name" },
  async run(input, ctx) {
    const { state, created } = await ensureExperiment(ctx, input);
    const e = state.experiment;
    return {
      experiment_id: e.name,
      name: e.name,
      created_at: e.created_at,
      commit: state.oid,
      ref: experimentRef(e.name),
      description: e.description,
      tags: e.tags,
      runs: state.runs,
      created,
    };
  },
});
