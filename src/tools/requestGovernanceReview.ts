import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { checkAlias } from "../workspace/refNames.js";
import { findModelVersion } from "../governance/review/findModelVersion.js";
import { reviewRef, type Review } from "../governance/review/Review.js";

export const RequestGovernanceReviewInput = z.strictObject({
  model_name: z.string().min(1).describe("Registered model the review is for."),
  version: z.number().int().min(1).describe("The exact version reviewed."),
  decision: z.enum(["approve", "reject"]).describe("approve lets check_policy allow the version (for the alias, or every alias); reject denies it."),
  reason: z.string().trim().min(10, "say why in at least 10 characters; the reason is recorded in the commit").describe("Why: recorded in the review commit."),
  alias: z.string().optional().describe("Review only for moving this alias (e.g. production); without it the review holds for every alias."),
  reviewer: z.string().trim().min(1).optional().describe("Who decides; defaults to DW_USER, else git's user.name <user.email>, else the OS user."),
});
export type RequestGovernanceReviewInput = z.infer<typeof RequestGovernanceReviewInput>;

export const RequestGovernanceReviewOutput = z.object({
  model_name: z.string(),
  version: z.number().int(),
  decision: z.enum(["approve", "reject"]),
  alias: z.string().optional(),
  reviewer: z.string(),
  reason: z.string(),
  reviewed_at: z.string(),
  commit: z.string().describe("The review commit; its parent is the previous review of this version."),
  ref: z.string(),
  previous_reviews: z.number().int().describe("Reviews of this version recorded before this one."),
});
export type RequestGovernanceReviewOutput = z.infer<typeof RequestGovernanceReviewOutput>;

/**
 * Records a governance review of a model version: who approved or rejected it, when, why, and for
 * which alias, as a commit under refs/dw/reviews/<model>/<version> (each review's parent is the
 * one before, so `git log` of the ref is the history). check_policy and deploy_model read the
 * newest review that applies.
 *
 * @example
 * ```ts
 * await dw.requestGovernanceReview({ model_name: "churn", version: 3, decision: "approve", alias: "production", reason: "Holdout AUC 0.91, bias audit attached to ticket GOV-12" });
 * ```
 */
export const requestGovernanceReview = defineTool({
  name: "request_governance_review",
  annotations: { effect: "writes" },
  description: "Record an approval or rejection of a model version (who, when, why, for which alias) as a commit; check_policy uses the newest one.",
  input: RequestGovernanceReviewInput,
  output: RequestGovernanceReviewOutput,
  magic: { aliases: { model: "model_name", name: "model_name" } },
  async run(input, ctx) {
    if (input.alias !== undefined) checkAlias(input.alias);
    const ws = ctx.workspace;
    const { defaultReviewer, recordReview } = await import("../governance/review/recordReview.js");
    const info = await findModelVersion(ws, input.model_name, input.version);
    const reviewer = input.reviewer ?? (await defaultReviewer(ws));
    const now = ctx.now();
    const review: Review = {
      model_name: input.model_name,
      version: input.version,
      model_commit: info.commit,
      decision: input.decision,
      ...(input.alias !== undefined ? { alias: input.alias } : {}),
      reviewer,
      reason: input.reason,
      reviewed_at: now.toISOString(),
    };
    const ref = reviewRef(input.model_name, input.version);
    const { commit, previous } = await ws.withLock(async () => {
      let previous = 0;
      for (let oid = await ws.readRef(ref); oid; oid = (await ws.readCommit(oid)).parents[0] ?? null) previous++;
      return { commit: await recordReview(ws, review, now), previous };
    });
    return { ...review, commit, ref, previous_reviews: previous };
  },
});
