import type { Workspace } from "../../workspace/Workspace.js";
import { commitMessage } from "../../workspace/commitMessage.js";
import { documentText } from "../../workspace/documentText.js";
import { type AbTest, abTestRef } from "./AbTest.js";

/**
 * Commits a state of the A/B test behind `test.model_name@test.alias` on its ref, the previous
 * state as parent, so `git log refs/dw/abtests/<name>/<alias>` reads as the test's history: each
 * start, change of weights, stop and promote. `files` adds the arms' gate reports. Call under
 * `ws.withLock`, with `parent` the head read under it.
 */
export async function recordAbTest(
  ws: Workspace,
  args: { test: AbTest; parent: string | null; subject: string; body?: (string | undefined)[]; files?: Record<string, string>; now: Date },
): Promise<{ commit: string; ref: string }> {
  const { test } = args;
  const ref = abTestRef(test.model_name, test.alias);
  const arms = `Arms: ${test.arms.map((a) => `v${a.version} (weight ${a.weight}, gate ${a.gate.status}${a.gate.overridden ? ", overridden" : ""})`).join(", ")}.`;
  const message = commitMessage(args.subject, [...(args.body ?? []), arms], {
    "Dw-Model": test.model_name,
    "Dw-Alias": test.alias,
    "Dw-Tool": "ab_test_models",
    "Dw-Decision": test.status,
    "Dw-Version": test.ended?.winner ?? undefined,
  });
  const commit = await ws.commit({
    ref,
    message,
    parents: args.parent ? [args.parent] : [],
    files: { "abtest.json": documentText(test), ...args.files },
    now: args.now,
  });
  return { commit, ref };
}
