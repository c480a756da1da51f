import { z } from "zod";

/**
 * `gates/override.json` in a run or deployment commit: who let a failed gate pass, when and why,
 * with the findings as they were. The schema is the type: train_model and deploy_model write it,
 * the governance gate reads it back through it.
 */
export const GateOverrideRecord = z.looseObject({
  reason: z.string(),
  by: z.string(),
  at: z.string(),
  gates: z.array(z.string()).describe("The gates that had failed and were overridden."),
  findings: z
    .array(z.looseObject({ gate: z.string(), check: z.string(), message: z.string() }))
    .describe("The failing findings, as they were when the override was given."),
});
export type GateOverrideRecord = z.infer<typeof GateOverrideRecord>;
