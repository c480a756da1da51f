import type { Workspace } from "../../workspace/Workspace.js";
import { readFeedback, readInferenceWindow } from "../log/readInferenceLog.js";
import type { AbTest } from "./AbTest.js";
import { type AbResults, abTestResults } from "./abTestResults.js";

/**
 * An A/B test's results now: the deployment's inference log from the test's start (to its end,
 * when it ended) and every feedback label, through abTestResults.
 *
 * @example
 * ```ts
 * const r = await readAbTestResults(ws, test, new Date());
 * r.decision.kind;
 * ```
 */
export async function readAbTestResults(ws: Workspace, test: AbTest, now: Date): Promise<AbResults> {
  const since = Date.parse(test.started_at);
  const until = test.ended ? Date.parse(test.ended.at) + 1 : undefined;
  const [window, feedback] = await Promise.all([
    readInferenceWindow(ws.root, test.model_name, test.alias, { since, until }),
    readFeedback(ws.root, test.model_name, test.alias),
  ]);
  return abTestResults(test, window.records, feedback, now);
}
