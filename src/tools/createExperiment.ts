import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { checkExperimentName, experimentRef, type ExperimentRecord } from "../experiments/Experiment.js";
import { findExperiment } from "../experiments/readExperiment.js";
import { stableJson } from "../experiments/stableJson.js";

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
  annotations: { effect: "writes" },
  description: "Create an experiment (a named group of runs to compare), stored as a git commit under refs/dw/experiments/<name>.",
  input: CreateExperimentInput,
  output: CreateExperimentOutput,
  magic: { positional: "name" },
  async run(input, ctx) {
    checkExperimentName(input.name);
    const ws = ctx.workspace;
    const ref = experimentRef(input.name);
    const wanted = { description: input.description ?? null, tags: input.tags ?? {} };
    const now = ctx.now();
    return ws.withLock(async () => {
      const existing = await findExperiment(ws, input.name);
      if (existing) {
        const have = { description: existing.experiment.description, tags: existing.experiment.tags };
        if (stableJson(have) !== stableJson(wanted)) {
          throw new DwError(
            "CONFLICT",
            `Experiment '${input.name}' already exists with a different ${have.description !== wanted.description ? "description" : "tags"}.`,
            {
              hint: `Use another name, or call create_experiment with the same description and tags to get it back (git show ${ref}:experiment.json).`,
              details: { field: "name", experiment: input.name, existing: have },
            },
          );
        }
        return { ...output(existing.experiment, existing.oid, existing.runs), created: false };
      }
      const record: ExperimentRecord = { name: input.name, ...wanted, created_at: now.toISOString() };
      const message = [
        `dw experiment ${input.name}: create`,
        wanted.description ? `\n${wanted.description}` : undefined,
        Object.keys(wanted.tags).length
          ? `\ntags: ${Object.entries(wanted.tags)
              .map(([k, v]) => `${k}=${v}`)
              .join(" ")}`
          : undefined,
        "",
        `Dw-Experiment: ${input.name}`,
      ]
        .filter((l) => l !== undefined)
        .join("\n");
      const files = { "experiment.json": JSON.stringify(record, null, 2) + "\n", "runs.json": "[]\n" };
      const commit = await ws.commit({ ref, message, files, now });
      return { ...output(record, commit, []), created: true };
    });
  },
});

function output(e: ExperimentRecord, commit: string, runs: string[]) {
  return { experiment_id: e.name, name: e.name, created_at: e.created_at, commit, ref: experimentRef(e.name), description: e.description, tags: e.tags, runs };
}
