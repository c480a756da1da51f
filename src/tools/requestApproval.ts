import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { checkAlias } from "../workspace/refNames.js";
import { findModelVersion } from "../governance/review/findModelVersion.js";
import { readApprovals } from "../governance/review/readApprovals.js";
import type { ApprovalRequest } from "../governance/review/ApprovalRequest.js";
import { reviewRef } from "../governance/review/Review.js";

export const RequestApprovalInput = z.strictObject({
  model_name: z.string().min(1).describe("Registered model the approval is asked for."),
  version: z.number().int().min(1).describe("The exact version to approve."),
  alias: z.string().optional().describe("The alias it should be approved for (e.g. production); without it, for every alias."),
  reason: z
    .string()
    .trim()
    .min(10, "say why in at least 10 characters; the reason is recorded in the commit")
    .describe("Why it should ship: recorded in the request commit."),
  requested_by: z.string().trim().min(1).optional().describe("Who asks; defaults to DW_USER, else git's user.name <user.email>, else the OS user."),
});
export type RequestApprovalInput = z.infer<typeof RequestApprovalInput>;

export const RequestApprovalOutput = z.object({
  model_name: z.string(),
  version: z.number().int(),
  alias: z.string().optional(),
  state: z.literal("requested"),
  requested_by: z.string(),
  reason: z.string(),
  requested_at: z.string(),
  commit: z.string().describe("The request commit on the version's review chain."),
  ref: z.string(),
  already_requested: z.boolean().describe("True when the same request was waiting already: nothing new was recorded and its commit is returned."),
  decide: z.string().describe("The %dw line a reviewer runs to approve it (decision reject to refuse)."),
});
export type RequestApprovalOutput = z.infer<typeof RequestApprovalOutput>;

/**
 * Asks for a governance review of a model version, for one alias or every alias: records who asks,
 * when and why as a commit on the version's review chain (refs/dw/reviews/<model>/<version>, beside
 * the reviews, so dw push shares it). A request decides nothing: the deploy gate and check_policy
 * count only reviews, and the next request_governance_review of that version (for that alias or
 * every alias) answers it. get_gate_reports lists it as `requested` until then. Asking again while
 * the same request waits returns the waiting one; asking for a version already approved for that
 * alias is a CONFLICT (deploy it instead).
 *
 * @example
 * ```ts
 * await dw.requestApproval({ model_name: "churn", version: 3, alias: "production", reason: "Holdout AUC 0.91, beats v2 (0.87)" });
 * ```
 */
export const requestApproval = defineTool({
  name: "request_approval",
  annotations: { effect: "writes" },
  description:
    "Ask for a governance review of a model version (for an alias or every alias): recorded as a request on the version's review chain; a reviewer answers with request_governance_review.",
  input: RequestApprovalInput,
  output: RequestApprovalOutput,
  magic: { aliases: { model: "model_name", name: "model_name" } },
  async run(input, ctx) {
    if (input.alias !== undefined) checkAlias(input.alias);
    const ws = ctx.workspace;
    const { defaultReviewer } = await import("../governance/review/recordReview.js");
    const requestedBy = input.requested_by ?? (await defaultReviewer(ws));
    const ref = reviewRef(input.model_name, input.version);
    const decide = `%dw request_governance_review --model ${input.model_name} --version ${input.version} --decision approve${input.alias ? ` --alias ${input.alias}` : ""} --reason "<why it may ship>"`;
    return ws.withLock(async () => {
      const info = await findModelVersion(ws, input.model_name, input.version);
      const standing = await readApprovals(ws, input.model_name, info.version, info.commit);
      // The entry that speaks for this alias: one for it, else one for every alias.
      const current = standing.find((a) => a.alias === input.alias) ?? standing.find((a) => a.alias === undefined && a.state !== "requested");
      if (current?.state === "approved") {
        throw new DwError(
          "CONFLICT",
          `${input.model_name} v${info.version} is already approved${current.alias ? ` for ${current.alias}` : " for every alias"} by ${current.by} on ${current.at}.`,
          {
            hint: `Deploy it: %dw deploy_model --model_name ${input.model_name} --version ${info.version}${input.alias ? ` --alias ${input.alias}` : ""}`,
            details: { field: "version", commit: current.commit },
          },
        );
      }
      if (current?.state === "requested" && current.alias === input.alias) {
        return {
          model_name: input.model_name,
          version: info.version,
          ...(input.alias !== undefined ? { alias: input.alias } : {}),
          state: "requested" as const,
          requested_by: current.by,
          reason: current.reason,
          requested_at: current.at,
          commit: current.commit,
          ref,
          already_requested: true,
          decide,
        };
      }
      const now = ctx.now();
      const request: ApprovalRequest = {
        model_name: input.model_name,
        version: info.version,
        model_commit: info.commit,
        ...(input.alias !== undefined ? { alias: input.alias } : {}),
        requested_by: requestedBy,
        reason: input.reason,
        requested_at: now.toISOString(),
      };
      const { recordApprovalRequest } = await import("../governance/review/recordApprovalRequest.js");
      const commit = await recordApprovalRequest(ws, request, now);
      const { model_commit: _, ...shown } = request;
      return { ...shown, state: "requested" as const, commit, ref, already_requested: false, decide };
    });
  },
});
