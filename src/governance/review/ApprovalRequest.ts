import { z } from "zod";

/**
 * `approval_request.json` in a request commit on refs/dw/reviews/<model>/<version>: someone asks for
 * a governance review of a version (for one alias, or every alias). It lives on the version's review
 * chain, so `git log` of the ref reads as the whole conversation and dw push / dw pull share it with
 * the reviews; but it is not `review.json`, so the deploy gate and check_policy (readReviews) never
 * count it as a decision. The next review of the same registration for that alias answers it.
 */
export const ApprovalRequest = z.object({
  model_name: z.string(),
  version: z.number().int(),
  /** The registration commit the request is about: a request for a version later renumbered or replaced asks for nothing. */
  model_commit: z.string(),
  /** The alias the approval is asked for; without it, for every alias. */
  alias: z.string().optional(),
  requested_by: z.string(),
  reason: z.string(),
  requested_at: z.string(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

/** The file of a request commit (a review commit holds review.json instead). */
export const APPROVAL_REQUEST_FILE = "approval_request.json";
