/**
 * One step of a multi-step tool (productionize: snapshot, quality, governance, cost, register,
 * deploy, monitoring) as it starts and ends: reported through DomainContext.progress while the tool
 * works, so the Productionize dialog shows each step live, and listed in the tool's output. This
 * file imports nothing but zod, so that the labextension can compile it too.
 */
import { z } from "zod";

export const StepStatus = z
  .enum(["running", "passed", "warned", "failed", "overridden", "skipped"])
  .describe(
    "running: started; passed; warned: went on with warnings; failed: stopped here; overridden: failed and let through with a reason; skipped: not needed.",
  );
export type StepStatus = z.infer<typeof StepStatus>;

export const StepProgress = z.object({
  name: z.string().describe("The step, e.g. snapshot, quality, governance, cost, register, deploy, monitoring."),
  status: StepStatus,
  seconds: z.number().nonnegative().optional().describe("How long the step took, once it ended."),
  detail: z.string().optional().describe("What the step found or did, in a sentence."),
});
export type StepProgress = z.infer<typeof StepProgress>;
