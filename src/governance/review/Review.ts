import { z } from "zod";

/** `review.json` in a review commit under refs/dw/reviews/<model>/<version>. */
export const Review = z.object({
  model_name: z.string(),
  version: z.number().int(),
  /** The registration commit reviewed: a review is for that exact version, nothing else. */
  model_commit: z.string(),
  decision: z.enum(["approve", "reject"]),
  /** When set, the review is for moving this alias only; without it, for every alias. */
  alias: z.string().optional(),
  reviewer: z.string(),
  reason: z.string(),
  reviewed_at: z.string(),
});
export type Review = z.infer<typeof Review>;

export const reviewRef = (model: string, version: number) => `refs/dw/reviews/${model}/${version}`;
