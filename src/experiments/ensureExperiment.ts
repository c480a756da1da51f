import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError } from "../errors/DwError.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { checkExperimentName, experimentRef, type ExperimentRecord } from "./Experiment.js";
import { findExperiment, type ExperimentState } from "./readExperiment.js";
import { stableJson } from "../workspace/stableJson.js";

/**
 * Makes sure an experiment with this description and tags exists: a new one is a commit under
 * refs/dw/experiments/<name> holding experiment.json and an empty runs.json; an identical one is
 * returned as it is (`created: false`), so a notebook can be re-run from the top; one with another
 * description or tags is a CONFLICT and writes nothing.
 *
 * @example
 * ```ts
 * const { state, created } = await ensureExperiment(ctx, { name: "temp-features", tags: { team: "forecast" } });
 * ```
 */
export async function ensureExperiment(
  ctx: DomainContext,
  args: { name: string; description?: string; tags?: Record<string, string> },
): Promise<{ state: ExperimentState; created: boolean }> {
  checkExperimentName(args.name);
  const ws = ctx.workspace;
  const ref = experimentRef(args.name);
  const wanted = { description: args.description ?? null, tags: args.tags ?? {} };
  const now = ctx.now();
  return ws.withLock(async () => {
    const existing = await findExperiment(ws, args.name);
    if (existing) {
      const have = { description: existing.experiment.description, tags: existing.experiment.tags };
      if (stableJson(have) !== stableJson(wanted)) {
        throw new DwError(
          "CONFLICT",
          `Experiment '${args.name}' already exists with a different ${have.description !== wanted.description ? "description" : "tags"}.`,
          {
            hint: `Use another name, or call create_experiment with the same description and tags to get it back (git show ${ref}:experiment.json).`,
            details: { field: "name", experiment: args.name, existing: have },
          },
        );
      }
      return { state: existing, created: false };
    }
    const experiment: ExperimentRecord = { name: args.name, ...wanted, created_at: now.toISOString() };
    const tags = Object.entries(wanted.tags);
    const body: string[] = [];
    if (wanted.description) body.push(wanted.description);
    if (tags.length) body.push(...(body.length ? [""] : []), `tags: ${tags.map(([k, v]) => `${k}=${v}`).join(" ")}`);
    const message = commitMessage(`dw experiment ${args.name}: create`, body, { "Dw-Experiment": args.name });
    const files = { "experiment.json": documentText(experiment), "runs.json": documentText([]) };
    const oid = await ws.commit({ ref, message, files, now });
    return { state: { oid, experiment, runs: [] }, created: true };
  });
}
