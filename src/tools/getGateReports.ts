import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { GateActivity } from "../policy/GateActivity.js";
import { readGateActivity } from "../gates/gateActivity/readGateActivity.js";

export const GetGateReportsInput = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(50).describe("At most this many overrides and this many approvals, the newest (default 50)."),
});
export type GetGateReportsInput = z.infer<typeof GetGateReportsInput>;

export const GetGateReportsOutput = GateActivity.extend({
  omitted: z.object({ overrides: z.number().int(), approvals: z.number().int() }).describe("How many older overrides and approvals the limit left out."),
  problems: z.array(z.string()).describe("Gate records that could not be read (a damaged report), each naming its run or deployment; the rest is listed."),
});
export type GetGateReportsOutput = z.infer<typeof GetGateReportsOutput>;

/**
 * The gates across the workspace, as the sidebar's Gates panel shows them: the newest quality,
 * governance and cost report (with their findings) among every run commit (train_model's gates) and
 * deployment commit (the deploy gate), every override (a failed gate let through with a reason:
 * who, why, when, which findings), and the approvals: the newest review or approval request of each
 * model version and alias, with `requested` ones still waiting for a reviewer. Cheap to poll: each
 * commit is read once per process.
 *
 * @example
 * ```ts
 * const { latest, overrides, approvals } = await dw.getGateReports({});
 * approvals.filter((a) => a.state === "requested");
 * ```
 */
export const getGateReports = defineTool({
  name: "get_gate_reports",
  annotations: { effect: "reads" },
  description:
    "Show the gates across the workspace: the newest quality, governance and cost reports with their findings, every override with who and why, and approvals (requested, approved, rejected).",
  input: GetGateReportsInput,
  output: GetGateReportsOutput,
  async run(input, ctx) {
    return readGateActivity(ctx.workspace, { limit: input.limit });
  },
});
