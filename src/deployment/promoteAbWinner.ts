import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError } from "../errors/DwError.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { deploymentRef } from "../registry/refs.js";
import { lastDeployment } from "../registry/readRegistry.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import type { AbTest } from "../monitoring/abtest/AbTest.js";
import type { AbResults } from "../monitoring/abtest/abTestResults.js";
import { readAbTest } from "../monitoring/abtest/readAbTest.js";
import { readAbTestResults } from "../monitoring/abtest/readAbTestResults.js";
import { recordAbTest } from "../monitoring/abtest/recordAbTest.js";
import { requireRunningAbTest } from "../monitoring/abtest/stopAbTest.js";
import { type Deployment, deployVersion, startDeployMonitoring } from "./deployVersion.js";

/** A promoted test: its last state, the commit, the results it was decided on, and the deployment of the winner (absent when a promote cut short had deployed it already). */
export interface PromotedAbTest {
  test: AbTest;
  commit: string;
  ref: string;
  results: AbResults;
  deployment?: Deployment;
}

/**
 * Ends the A/B test behind `model@alias` by moving the alias to its winner, as ab_test_models'
 * promote does: the results must name a winner (the sequential test, with every arm at its minimum
 * sample size), the winner is deployed through the deploy path (deployVersion: the deploy gate
 * again, a deployment commit, the alias moved; from that commit on the server serves the winner
 * alone, since a test splits only the deployment it started on), then the test is committed as
 * `promoted`. A process killed between the two leaves a test that no longer splits and whose
 * alias serves the winner; promote again records the end. CONFLICT when there is no winner yet,
 * or when the alias was deployed to another version since the test started.
 *
 * @example
 * ```ts
 * const p = await promoteAbWinner(ctx, { model: "churn", alias: "production" });
 * p.test.ended?.winner; // 4
 * ```
 */
export async function promoteAbWinner(ctx: DomainContext, args: { model: string; alias: string; overrideReason?: string }): Promise<PromotedAbTest> {
  checkModelName(args.model);
  checkAlias(args.alias);
  const ws = ctx.workspace;
  const at = await requireRunningAbTest(ws, args.model, args.alias);
  const results = await readAbTestResults(ws, at.test, ctx.now());
  const winner = results.decision.winner;
  if (results.decision.kind !== "winner" || winner === null) {
    throw new DwError("CONFLICT", `The A/B test behind ${args.model}@${args.alias} has no winner to promote. ${results.decision.message}`, {
      hint: "Ask again with action status later, or end the test with action stop (the alias keeps its version).",
      details: { decision: results.decision.kind },
    });
  }
  const head = await ws.readRef(deploymentRef(args.model, args.alias)).catch(() => null);
  let deployment: Deployment | undefined;
  if (head === at.test.deployment) {
    deployment = await deployVersion(ctx, { model: args.model, version: winner, alias: args.alias, overrideReason: args.overrideReason });
    await startDeployMonitoring(ctx, deployment, args.model, args.alias);
  } else {
    const now = await lastDeployment(ws, args.model, args.alias);
    if (now?.kind !== "deployed" || now.version !== winner) {
      throw new DwError(
        "CONFLICT",
        `${args.model}@${args.alias} was deployed again since the A/B test started (it serves ${now?.kind === "deployed" ? `v${now.version}` : "nothing"} now), so the test no longer splits its traffic and its winner v${winner} was not deployed.`,
        { hint: "End the test with action stop, or deploy the winner yourself with deploy_model.", details: { field: "alias" } },
      );
    }
  }
  const by = await defaultReviewer(ws);
  return ws.withLock(async () => {
    const now = ctx.now();
    const current = await readAbTest(ws, args.model, args.alias);
    const test: AbTest = {
      ...at.test,
      status: "promoted",
      ended: {
        at: now.toISOString(),
        by,
        winner,
        decision: results.decision.message,
        ...(deployment?.deployment ? { deployment: deployment.deployment } : {}),
      },
    };
    const rec = await recordAbTest(ws, {
      test,
      parent: current?.commit ?? at.commit,
      subject: `dw abtest promote ${args.model}@${args.alias} -> v${winner}`,
      body: [`Promoted by ${by}. ${results.decision.message}`],
      now,
    });
    return { test, ...rec, results, ...(deployment ? { deployment } : {}) };
  });
}
