import type { Workspace } from "../../workspace/Workspace.js";
import type { AbTestSummary } from "./AbTestSummary.js";
import { readAbTest } from "./readAbTest.js";

/**
 * The running A/B test behind `name@alias`, in brief, or null when none runs. `deploymentCommit`
 * is the alias's last deployment: the server splits traffic only while the test runs on it.
 *
 * @example
 * ```ts
 * const ab = await readAbTestSummary(ws, "churn", "production", head);
 * ab?.arms.map((a) => `v${a.version} ${Math.round(a.share * 100)}%`);
 * ```
 */
export async function readAbTestSummary(ws: Workspace, name: string, alias: string, deploymentCommit: string | null): Promise<AbTestSummary | null> {
  const found = await readAbTest(ws, name, alias);
  if (!found || found.test.status !== "running") return null;
  const t = found.test;
  const total = t.arms.reduce((s, a) => s + a.weight, 0);
  return {
    splitting: t.deployment === deploymentCommit,
    arms: t.arms.map((a) => ({ version: a.version, weight: a.weight, share: a.weight / total })),
    metric: t.metric,
    min_sample_size: t.min_sample_size,
    started_at: t.started_at,
    started_by: t.started_by,
    ref: found.ref,
  };
}
