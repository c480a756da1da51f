import { z } from "zod";
import type { GateOverrideRecord as GateOverrideFields } from "./GateReport.js";

/**
 * `gates/override.json` in a run or deployment commit: who let a failed gate pass, when and why,
 * with the findings as they were. Its type is GateReport.ts's GateOverrideRecord, which this
 * schema is checked against until that interface gives way to it.
 */
export const GateOverrideRecord: z.ZodType<GateOverrideFields> = z.looseObject({
  reason: z.string(),
  by: z.string(),
  at: z.string(),
  gates: z.array(z.string()),
  findings: z.array(z.looseObject({ gate: z.string(), check: z.string(), message: z.string() })),
});
export type GateOverrideRecord = GateOverrideFields;
