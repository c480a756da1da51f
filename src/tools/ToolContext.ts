import type { DomainContext } from "../workspace/DomainContext.js";
import type { ServerInfo } from "../server/serverInfo.js";
import type { RunOrigin } from "../runs/RunOrigin.js";

export type { RunOrigin };

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
