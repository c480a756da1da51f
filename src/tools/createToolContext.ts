import { resolve } from "node:path";
import type { ToolContext, RunOrigin } from "./ToolContext.js";
import { findWorkspaceRoot, openWorkspace } from "../workspace/Workspace.js";
import { ensureServer } from "../server/ensureServer.js";

/**
 * A context for tool calls made from `cwd`: the workspace found from there (or `workspaceDir`),
 * the wall clock, and a server starter bound to that workspace.
 */
export async function createToolContext(options: { cwd: string; workspaceDir?: string; origin?: RunOrigin; signal?: AbortSignal }): Promise<ToolContext> {
  const cwd = resolve(options.cwd);
  const root = options.workspaceDir ? resolve(cwd, options.workspaceDir) : await findWorkspaceRoot(cwd);
  const workspace = await openWorkspace(root);
  return {
    workspace,
    cwd,
    origin: options.origin,
    ensureServer: () => ensureServer(workspace),
    now: () => new Date(),
    signal: options.signal,
  };
}
