/**
 * What the agent proposes to do next, computed from the workspace's state by the rules in
 * docs/next-steps.md (suggest_next_steps, the sidebar's Next steps panel). Each step names the rule
 * that made it, its reason in a sentence, and its action: a tool call a button (or an agent) makes,
 * or a report to show. This file imports nothing but zod, so that the labextension can compile it
 * too (through src/comm/protocol.ts).
 */
import { z } from "zod";

export const NextStepRule = z.enum([
  "deploy_better_run",
  "productionize_first_run",
  "review_gate_warning",
  "retrain_on_drift",
  "retrain_on_accuracy_drop",
  "request_approval",
  "decide_approval",
]);
export type NextStepRule = z.infer<typeof NextStepRule>;

export const NextStepAction = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("tool"),
    label: z.string().describe("The button's label, e.g. Register and deploy."),
    tool: z.string().describe("The tool to call, e.g. productionize."),
    input: z.record(z.string(), z.unknown()).describe("Its input, ready to send."),
  }),
  z.object({
    kind: z.literal("show_report"),
    label: z.string(),
    gate: z.enum(["quality", "governance", "cost"]),
    commit: z.string().describe("The run or deployment commit holding the report."),
  }),
]);
export type NextStepAction = z.infer<typeof NextStepAction>;

export const NextStep = z.object({
  id: z.string().describe("Stable while the state that made it holds, e.g. deploy_better_run:<run_id>."),
  rule: NextStepRule,
  title: z.string().describe("What to do, in a few words."),
  reason: z.string().describe("Why, with the numbers: e.g. run r-12 has r2 0.91 on its holdout, production (v3) has 0.87."),
  action: NextStepAction,
  subject: z
    .object({ run_id: z.string().optional(), model: z.string().optional(), version: z.number().int().optional(), alias: z.string().optional() })
    .describe("What the step is about."),
});
export type NextStep = z.infer<typeof NextStep>;
