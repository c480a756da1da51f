import type { DomainContext } from "../workspace/DomainContext.js";
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

/**
 * Everything a tool may touch, passed in so tests and other hosts can supply their own: the domain
 * context (workspace, cwd, clock, signal, progress) plus what only a tool call has, where the call
 * came from and a way to reach the workspace's server.
 */
export interface ToolContext extends DomainContext {
  origin?: RunOrigin;
  /** Finds the workspace's running `dw serve`, starting one if none answers. */
  ensureServer(): Promise<ServerInfo>;
}
