import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { ToolContext, RunOrigin } from "./ToolContext.js";
import { findWorkspaceRoot, openWorkspace, type Workspace } from "../workspace/Workspace.js";
import { ensureServer } from "../server/ensureServer.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { fileSystemError } from "../errors/fileSystemError.js";

/**
 * A context for tool calls made from `cwd`: the workspace found from there (or `workspaceDir`),
 * the wall clock, and a server starter bound to that workspace.
 *
 * A workspace that cannot be opened is a WORKSPACE_ERROR naming the folder and what to do: an
 * explicit `workspaceDir` must be an existing folder (a repository is created in it when it has
 * none, but a mistyped path never becomes a new, empty registry), `.git` must be a repository or a
 * `gitdir:` pointer, and the file system must let dw read (and, to record, write) there.
 *
 * @example
 * const ctx = await createToolContext({ cwd: process.cwd(), workspaceDir: "projects/weather" });
 */
export async function createToolContext(options: { cwd: string; workspaceDir?: string; origin?: RunOrigin; signal?: AbortSignal }): Promise<ToolContext> {
  const cwd = resolve(options.cwd);
  const root = options.workspaceDir ? resolve(cwd, options.workspaceDir) : await findWorkspaceRoot(cwd);
  if (options.workspaceDir) await checkWorkspaceFolder(root);
  const workspace = await open(root);
  return {
    workspace,
    cwd,
    origin: options.origin,
    ensureServer: () => ensureServer(workspace),
    now: () => new Date(),
    signal: options.signal,
  };
}

async function checkWorkspaceFolder(root: string): Promise<void> {
  const found = await stat(root).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw fileSystemError(e) ?? e;
  });
  if (!found) {
    throw new DwError("WORKSPACE_ERROR", `The workspace folder ${root} does not exist.`, {
      hint: `Name the project folder (the one holding .git or .dw), or create this one first (mkdir -p ${root}) if a new workspace is what you want.`,
      details: { path: root },
    });
  }
  if (!found.isDirectory()) {
    throw new DwError("WORKSPACE_ERROR", `The workspace ${root} is a file, not a folder.`, {
      hint: "Name the project folder (the one holding .git or .dw), not a file in it.",
      details: { path: root },
    });
  }
}

async function open(root: string): Promise<Workspace> {
  try {
    return await openWorkspace(root);
  } catch (e) {
    const fs = fileSystemError(e);
    if (fs) throw fs;
    // The workspace refuses a folder it cannot use (a `.git` file that points nowhere) as an
    // invalid input; here that input is the folder, so say which and how to repair it.
    if (isDwError(e) && e.code === "INVALID_INPUT") {
      throw new DwError("WORKSPACE_ERROR", `The workspace ${root} cannot be opened: ${e.message}`, {
        hint:
          e.hint ??
          `.git must be a git repository folder, or a file with one line 'gitdir: <path to the repository>' (as git worktrees and submodules write it). Repair or move ${root}/.git aside, or name another workspace.`,
        details: { ...e.details, path: root },
      });
    }
    throw e;
  }
}
