import type { Workspace } from "../workspace/Workspace.js";
import type { ServerInfo } from "../server/serverInfo.js";

/** Where a tool call came from; a run commit records it. */
export interface RunOrigin {
  /** Source of the notebook cell that made the call. */
  cell?: string;
  /** The notebook as the kernel saw it: its path relative to the workspace and its JSON text. */
  notebook?: { path: string; content: string };
  /** "kernel", "cli", "http", "mcp". */
  via?: string;
}

/** Everything a tool may touch, passed in so tests and other hosts can supply their own. */
export interface ToolContext {
  workspace: Workspace;
  /** Relative paths in tool inputs resolve against this folder (the notebook's folder in the kernel). */
  cwd: string;
  origin?: RunOrigin;
  /** Finds the workspace's running `dw serve`, starting one if none answers. */
  ensureServer(): Promise<ServerInfo>;
  now(): Date;
  signal?: AbortSignal;
  /** Reports progress of a long call (e.g. trees built); the kernel shows it in the cell. */
  progress?(p: { message: string; done: number; total?: number }): void;
}
