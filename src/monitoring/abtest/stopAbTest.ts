import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import { checkAlias, checkModelName } from "../../workspace/refNames.js";
import { defaultReviewer } from "../../governance/review/recordReview.js";
import { abTestRef, type AbTest } from "./AbTest.js";
import { type AbTestAt, readAbTest } from "./readAbTest.js";
import { readAbTestResults } from "./readAbTestResults.js";
import type { AbResults } from "./abTestResults.js";
import { recordAbTest } from "./recordAbTest.js";

/**
 * Ends the A/B test running behind `model@alias` without moving the alias (it keeps serving the
 * version it was deployed with): the results as they stand are taken, and a commit with status
 * `stopped`, who, when and the decision is recorded; the server stops splitting at its next
 * request. NOT_FOUND when no test runs there.
 *
 * @example
 * ```ts
 * const s = await stopAbTest(ctx, { model: "churn", alias: "production" });
 * s.test.ended?.decision;
 * ```
 */
export async function stopAbTest(
  ctx: DomainContext,
  args: { model: string; alias: string },
): Promise<{ test: AbTest; commit: string; ref: string; results: AbResults }> {
  checkModelName(args.model);
  checkAlias(args.alias);
  const ws = ctx.workspace;
  const by = await defaultReviewer(ws);
  return ws.withLock(async () => {
    const at = await requireRunningAbTest(ws, args.model, args.alias);
    const now = ctx.now();
    const results = await readAbTestResults(ws, at.test, now);
    const test: AbTest = {
      ...at.test,
      status: "stopped",
      ended: { at: now.toISOString(), by, winner: null, decision: results.decision.message },
    };
    const rec = await recordAbTest(ws, {
      test,
      parent: at.commit,
      subject: `dw abtest stop ${args.model}@${args.alias} (the alias keeps v${at.test.base_version})`,
      body: [`Stopped by ${by}. ${results.decision.message}`],
      now,
    });
    return { test, ...rec, results: await readAbTestResults(ws, test, now) };
  });
}

/** The test running behind model@alias, or NOT_FOUND saying what there is (none, or one that ended when and how). */
export async function requireRunningAbTest(ws: DomainContext["workspace"], model: string, alias: string): Promise<AbTestAt> {
  const at = await readAbTest(ws, model, alias);
  if (at?.test.status === "running") return at;
  throw new DwError(
    "NOT_FOUND",
    at
      ? `No A/B test runs behind ${model}@${alias}: the last one ended (${at.test.status}) at ${at.test.ended?.at ?? "an unknown time"}.`
      : `No A/B test was ever started behind ${model}@${alias}.`,
    {
      hint: `Start one with: %dw ab_test_models --model_name ${model} --alias ${alias} --model_b_id ${model}/<version>; its history: git log ${abTestRef(model, alias)}`,
      details: { field: "alias" },
    },
  );
}
