/**
 * A training run as the sidebar's Runs panel and list_runs show it: what it trained, on what data,
 * how it scored, how its gates went, where it is registered and the notebook cell that made it.
 * This file imports nothing but zod and zod-only schemas, so that the labextension can compile it
 * too (through src/comm/protocol.ts).
 */
import { z } from "zod";
import { GateStatus } from "../policy/GateReport.js";

export const RunGateVerdict = z.object({
  gate: z.enum(["quality", "governance", "cost"]),
  status: GateStatus,
  summary: z.string().describe("The gate report's one-line summary."),
});
export type RunGateVerdict = z.infer<typeof RunGateVerdict>;

export const RunSummary = z.object({
  run_id: z.string(),
  created_at: z.string(),
  algorithm: z.string(),
  task: z.string().describe("regression or classification."),
  target: z.string(),
  data: z.object({
    dataset_id: z.string(),
    sha256: z.string().describe("The content hash of the data the run saw."),
    rows: z.number().int(),
  }),
  metric: z
    .object({ name: z.string(), value: z.number(), higher_is_better: z.boolean() })
    .nullable()
    .describe("The headline holdout metric (r2 for a regression, accuracy for a classification), or null when the run has neither."),
  metrics: z.record(z.string(), z.number()),
  gates: z.array(RunGateVerdict).describe("The gates that ran at training, as recorded in the run commit."),
  gate_status: z
    .enum(["pass", "warn", "fail", "overridden", "none"])
    .describe("The worst gate status; overridden when a failed gate was let through with a reason; none when no gate report was recorded."),
  override: z.object({ by: z.string(), reason: z.string(), at: z.string() }).optional().describe("Who let a failed gate pass, and why."),
  registered: z.array(z.object({ model: z.string(), version: z.number().int() })).describe("The registered versions made from this run."),
  commit: z.string().describe("The run commit: git show <commit>."),
  origin: z.object({
    via: z.string().describe("kernel, cli, mcp or api."),
    notebook_path: z.string().optional().describe("The notebook, relative to the workspace."),
    cell_id: z.string().optional().describe("The id of the notebook cell that made the run (JupyterLab and nbclient send it)."),
  }),
  error: z.string().optional().describe("Set when the run's records cannot be read: what is wrong."),
});
export type RunSummary = z.infer<typeof RunSummary>;
