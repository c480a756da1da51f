import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { Finding } from "../execution/Finding.js";
import { NotebookSource } from "../execution/ExecutionRecord.js";
import { readRunExecution, type RunExecution } from "../runs/readRunExecution.js";
import { RUN_ID } from "../runs/runId.js";
import { MODEL_REF, resolveModelRun } from "../experiments/resolveModelRun.js";

export const GetRunHistoryInput = z.strictObject({
  run_id: z.string().min(1).optional().describe("The run, e.g. 20261204-160602-a1b2c3; a model reference here (temp@production, temp/3) is read as model_id."),
  model_id: z
    .string()
    .min(1)
    .optional()
    .describe("Or a registered version: name@alias (the version the alias serves) or name/version; the answer then also holds the previous version's run."),
});
export type GetRunHistoryInput = z.infer<typeof GetRunHistoryInput>;

const RunHistory = z.object({
  run_id: z.string(),
  created_at: z.string(),
  cell_id: z.string().nullable().describe("The notebook cell that made the run."),
  notebook_path: z.string().nullable(),
  notebook_source: NotebookSource.nullable().describe(
    "browser: the notebook as JupyterLab held it (unsaved edits included); disk: as saved; null: no notebook.",
  ),
  history_ts: z
    .string()
    .nullable()
    .describe(
      "execution/history.ts: the code the kernel ran before the run, in execution order; null for a run not made from a kernel (or made before dw kept it).",
    ),
  notebook_ts: z.string().nullable().describe("notebook.ts: the notebook as a paired script, in cell order; null without a notebook."),
  findings: z.array(Finding).describe("What a reader must know: reruns, edits after a run, out-of-order cells, unsaved edits, cells not run, failures."),
  environment: z.record(z.string(), z.unknown()).nullable().describe("execution/environment.json: Node, dw, tslab and package versions, OS, CPU."),
});

export const GetRunHistoryOutput = RunHistory.extend({
  model: z
    .object({ name: z.string(), version: z.number().int(), alias: z.string().optional() })
    .optional()
    .describe("The version named, when asked by model_id."),
  previous: RunHistory.extend({ version: z.number().int() })
    .nullable()
    .optional()
    .describe("When asked by model_id: the run of the previous registered version of the same model (null for the first), to diff against."),
});
export type GetRunHistoryOutput = z.infer<typeof GetRunHistoryOutput>;

/**
 * The code, in execution order, that produced a run or a model version: execution/history.ts with
 * the findings (reruns, out-of-order cells, unsaved edits…), the notebook as notebook.ts, the
 * environment; by model reference, also the previous version's, so the two can be diffed.
 *
 * @example
 * ```ts
 * const h = await dw.getRunHistory({ model_id: "temp@production" });
 * h.history_ts; h.findings; h.previous?.history_ts;
 * ```
 */
export const getRunHistory = defineTool({
  name: "get_run_history",
  annotations: { effect: "reads" },
  description:
    "The exact code, in execution order, that produced a run or model version (execution/history.ts in its run commit), what dw found about it (cells re-run, run out of order, edited without saving, not run), the notebook as a TypeScript script and the environment; for a model version also the previous version's, to diff.",
  input: GetRunHistoryInput,
  output: GetRunHistoryOutput,
  magic: { positional: "run_id", aliases: { run: "run_id", model: "model_id" } },
  async run(input, ctx) {
    const given = [input.run_id, input.model_id].filter((v) => v !== undefined);
    if (given.length !== 1) {
      throw new DwError("INVALID_INPUT", given.length ? "Give a run_id or a model_id, not both." : "Name a run (run_id) or a model version (model_id).", {
        hint: "e.g. %dw get_run_history 20261204-160602-a1b2c3, or %dw get_run_history temp@production",
        details: { field: given.length ? "model_id" : "run_id" },
      });
    }
    const runId = input.run_id?.trim();
    const modelId = input.model_id ?? (runId !== undefined && !RUN_ID.test(runId) && MODEL_REF.test(runId) ? runId : undefined);
    if (modelId === undefined) return shape(await readRunExecution(ctx.workspace, runId ?? "", "run_id"));
    const field = input.model_id !== undefined ? "model_id" : "run_id";
    const m = await resolveModelRun(ctx.workspace, modelId, field);
    const previous = m.previous ? { ...shape(await readRunExecution(ctx.workspace, m.previous.run_id, field)), version: m.previous.version } : null;
    return {
      ...shape(await readRunExecution(ctx.workspace, m.run_id, field)),
      model: { name: m.model, version: m.version, ...(m.alias !== undefined ? { alias: m.alias } : {}) },
      previous,
    };
  },
});

function shape(ex: RunExecution): z.infer<typeof RunHistory> {
  return {
    run_id: ex.run_id,
    created_at: ex.created_at,
    cell_id: ex.cell_id,
    notebook_path: ex.notebook_path,
    notebook_source: ex.notebook_source,
    history_ts: ex.history_ts,
    notebook_ts: ex.notebook_ts,
    findings: ex.findings,
    environment: ex.environment,
  };
}
