import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { NextStep } from "../deployment/NextStep.js";

export const SuggestNextStepsInput = z.strictObject({});
export type SuggestNextStepsInput = z.infer<typeof SuggestNextStepsInput>;

export const SuggestNextStepsOutput = z.object({
  steps: z.array(NextStep).describe("In the rules' order (docs/next-steps.md), then by id; empty when nothing waits."),
});
export type SuggestNextStepsOutput = z.infer<typeof SuggestNextStepsOutput>;

/**
 * What to do next, computed from the workspace's state by the rules in docs/next-steps.md, each
 * with its reason (with the numbers) and a ready action: approve a waiting request, retrain an
 * endpoint that drifts, register and deploy a run that beats production on its holdout, request an
 * approval the policy needs, read a gate's warning, productionize a first run. The sidebar's Next
 * steps panel shows them; an agent can act on them the same way.
 *
 * @example
 * ```ts
 * const { steps } = await dw.suggestNextSteps({});
 * for (const s of steps) console.log(s.title, "—", s.reason);
 * ```
 */
export const suggestNextSteps = defineTool({
  name: "suggest_next_steps",
  annotations: { effect: "reads" },
  description:
    "Propose what to do next from the workspace's state, by written rules: deploy a run that beats production, retrain on drift, request or decide an approval, read a gate warning, productionize a first run; each with its reason and a ready tool call.",
  input: SuggestNextStepsInput,
  output: SuggestNextStepsOutput,
  async run(_input, ctx) {
    const { suggestNextSteps: suggest } = await import("../deployment/nextSteps/suggestNextSteps.js");
    return { steps: await suggest(ctx) };
  },
});
