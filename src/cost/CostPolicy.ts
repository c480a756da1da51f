import { totalmem } from "node:os";
import { z } from "zod";

/** The `cost:` section of dw.policy.yaml. Without it: an hour of training, 80% of this machine's memory, no price, warn. */
export const CostPolicy = z
  .strictObject({
    max_train_seconds: z.number().positive().default(3600).describe("Longest estimated training time (seconds on one core of this machine)."),
    max_peak_memory_gb: z
      .number()
      .positive()
      .default(() => Math.round((totalmem() / 2 ** 30) * 0.8 * 10) / 10)
      .describe("Largest estimated peak memory; defaults to 80% of this machine's memory."),
    max_cost_usd: z.number().positive().optional().describe("Largest estimated cost of one training; needs price_per_hour_usd."),
    price_per_hour_usd: z.number().min(0).optional().describe("What an hour of this machine costs; the estimate's USD is seconds / 3600 × this."),
    on_exceed: z
      .enum(["warn", "block"])
      .default("warn")
      .describe("warn reports an estimate over a limit; block fails the cost gate (train_model then needs an override)."),
  })
  .superRefine((c, ctx) => {
    if (c.max_cost_usd !== undefined && c.price_per_hour_usd === undefined) {
      ctx.addIssue({ code: "custom", path: ["max_cost_usd"], message: "max_cost_usd needs price_per_hour_usd to turn time into money" });
    }
  });
export type CostPolicy = z.output<typeof CostPolicy>;

export function costAllowed(path: string): string {
  if (path.endsWith("max_cost_usd")) return "Set price_per_hour_usd too (e.g. 0.40), or remove max_cost_usd.";
  if (path.endsWith("on_exceed")) return "on_exceed is warn or block.";
  if (path === "cost") return "cost: takes max_train_seconds, max_peak_memory_gb, max_cost_usd, price_per_hour_usd and on_exceed.";
  return "A positive number.";
}
