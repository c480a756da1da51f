import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { RunSummary } from "../runs/RunSummary.js";
import { listRecentRuns, RUNS_LISTED } from "../experiments/listRecentRuns.js";

export const ListRunsInput = z.strictObject({
  limit: z.number().int().min(1).max(RUNS_LISTED.max).default(RUNS_LISTED.default).describe(`How many of the newest runs to list (1 to ${RUNS_LISTED.max}).`),
  model: z.string().min(1).optional().describe("Only the runs registered as versions of this model."),
});
export type ListRunsInput = z.infer<typeof ListRunsInput>;

export const ListRunsOutput = z.object({
  runs: z.array(RunSummary).describe("Newest first."),
});
export type ListRunsOutput = z.infer<typeof ListRunsOutput>;

/**
 * Lists the newest training runs, newest first: algorithm, target, data, the headline holdout
 * metric, the gates' verdicts (and an override, who and why), the versions registered from each,
 * the run commit and the notebook cell that made it. The sidebar's Runs panel shows this list.
 *
 * @example
 * ```ts
 * const { runs } = await dw.listRuns({ limit: 5 });
 * runs[0].gate_status; // "pass"
 * ```
 */
export const listRuns = defineTool({
  name: "list_runs",
  annotations: { effect: "reads" },
  description:
    "List the newest training runs: metric, data, gate verdicts and overrides, registered versions, the run commit and the notebook cell that made each.",
  input: ListRunsInput,
  output: ListRunsOutput,
  magic: { aliases: { n: "limit" } },
  async run(input, ctx) {
    return { runs: await listRecentRuns(ctx.workspace, { limit: input.limit, model: input.model }) };
  },
});
