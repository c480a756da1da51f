import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { SyncReport } from "../sync/SyncReport.js";

export const PushRegistryInput = z.strictObject({
  remote: z
    .string()
    .min(1)
    .default("origin")
    .describe("The git remote: a name from this clone's git config (origin), or a URL (https://…, ssh://…, user@host:path, file://…) or a path."),
  take_ours: z
    .array(z.string().min(1))
    .optional()
    .describe(
      "Conflicts to resolve by keeping this clone's side, each a ref or model@alias as the conflict names it; the remote's side is kept here under refs/dw-backup/.",
    ),
});
export type PushRegistryInput = z.infer<typeof PushRegistryInput>;

export const PushRegistryOutput = SyncReport;

/**
 * Shares this clone's registry: sends what only it moved under refs/dw/* (runs, versions, aliases,
 * deployments, experiments, pipelines, reviews, monitoring, A/B tests) to a git remote, all or
 * none, and the runs' data to the shared data cache when one is configured. A ref both sides
 * moved is a CONFLICT naming each with both sides: pull first.
 *
 * @example
 * ```ts
 * const r = await dw.pushRegistry({ remote: "origin" });
 * r.versions; // ["temp/3"]
 * ```
 */
export const pushRegistry = defineTool({
  name: "push_registry",
  annotations: { effect: "writes", openWorld: true },
  description:
    "Push this clone's model registry (refs/dw/*: runs, versions, aliases, deployments…) to a git remote, all or none; conflicts (both sides moved a ref) are refused with both sides shown. Run data goes to the shared cache when configured.",
  input: PushRegistryInput,
  output: PushRegistryOutput,
  magic: { positional: "remote", aliases: { ours: "take_ours" } },
  async run(input, ctx) {
    const { pushToRemote } = await import("../sync/pushToRemote.js");
    return pushToRemote(ctx, { remote: input.remote, takeOurs: input.take_ours });
  },
});
