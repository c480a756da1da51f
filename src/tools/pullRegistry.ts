import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { SyncReport } from "../sync/SyncReport.js";

export const PullRegistryInput = z.strictObject({
  remote: z
    .string()
    .min(1)
    .default("origin")
    .describe("The git remote: a name from this clone's git config (origin), or a URL (https://…, ssh://…, user@host:path, file://…) or a path."),
  take_theirs: z
    .array(z.string().min(1))
    .optional()
    .describe(
      "Conflicts to resolve by taking the remote's side, each a ref or model@alias as the conflict names it; this clone's side is kept under refs/dw-backup/.",
    ),
});
export type PullRegistryInput = z.infer<typeof PullRegistryInput>;

export const PullRegistryOutput = SyncReport;

/**
 * Takes the team's registry: what only the remote moved under refs/dw/* comes into this clone;
 * this clone's unshared versions whose numbers the remote has given away are renumbered above
 * both sides (aliases and deployments follow); what both sides moved stays as it is and is
 * listed as a conflict with both sides and how to resolve it. Data of pulled runs that is in
 * neither the local nor the shared cache is named as missing.
 *
 * @example
 * ```ts
 * const r = await dw.pullRegistry({ remote: "origin" });
 * r.renumbered; // [{ model_name: "temp", from: 2, to: 3, … }]
 * ```
 */
export const pullRegistry = defineTool({
  name: "pull_registry",
  annotations: { effect: "writes", openWorld: true },
  description:
    "Pull a git remote's model registry (refs/dw/*) into this clone: takes what only the remote moved, renumbers this clone's unshared versions whose numbers are taken, and lists conflicts with both sides (resolve with take_theirs or push_registry's take_ours).",
  input: PullRegistryInput,
  output: PullRegistryOutput,
  magic: { positional: "remote", aliases: { theirs: "take_theirs" } },
  async run(input, ctx) {
    const { pullFromRemote } = await import("../sync/pullFromRemote.js");
    return pullFromRemote(ctx, { remote: input.remote, takeTheirs: input.take_theirs });
  },
});
