import { readFile, rm } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { documentText } from "../workspace/documentText.js";
import { createServer, boundPort, DEFAULT_LIMITS, LOOPBACK_HOSTS } from "./createServer.js";
import { findServer, serverInfoPath } from "./ensureServer.js";
import { createServerLog } from "./serverLog.js";
import { finishInterruptedMoves } from "../deployment/moveServedAlias.js";
import type { ServerInfo } from "./serverInfo.js";
import { DW_VERSION } from "../version.js";
import { DwError } from "../errors/DwError.js";

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Bind an address other than loopback. Until scoring takes tokens, this must be asked for explicitly. */
  allowRemote?: boolean;
  /** Host names the Host header may carry besides the loopback names (e.g. behind a proxy). */
  allowedHosts?: ReadonlySet<string>;
  /** The log file stderr writes to, so it can be rotated (see serverLog.ts). */
  logFile?: string;
}

/** Whether `host` is a loopback address or name (the only binding allowed without allowRemote). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * Runs `dw serve` for a workspace until SIGTERM/SIGINT. One server per workspace: if a live one
 * is recorded already, this refuses to start a second. The chosen port is recorded in
 * `.dw/server.json` so kernels and CLIs find it again.
 */
export async function serve(ws: Workspace, options: ServeOptions = {}): Promise<{ info: ServerInfo; close(): Promise<void> }> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  if (!loopback && !options.allowRemote) {
    throw new DwError(
      "INVALID_INPUT",
      `Refusing to listen on ${host}: dw serve does not yet check tokens, so anyone who reaches that address could score every deployed model.`,
      {
        hint: "Serve on 127.0.0.1 (the default) behind a proxy that authenticates, or pass --allow-remote to accept the risk.",
        details: { field: "host" },
      },
    );
  }
  const log = createServerLog({ file: options.logFile });
  if (!loopback) log(`dw serve: WARNING: listening on ${host} without authentication (--allow-remote); anyone who reaches it can score every deployed model.`);
  const extra = options.allowedHosts ?? new Set<string>();
  // On loopback only requests addressed to loopback names (or the ones asked for) are answered;
  // a remote binding is reached by names we cannot know, unless the user lists them.
  // The bound address itself is always a name the server answers to (127.0.0.2 is loopback too).
  const bound = host.toLowerCase().replace(/^\[|\]$/g, "");
  const allowedHosts = loopback ? new Set([...LOOPBACK_HOSTS, bound, ...extra]) : extra.size ? new Set([bound, ...extra]) : null;
  const server = createServer(ws, { limits: DEFAULT_LIMITS, allowedHosts, log });
  const info = await ws.withLock(async () => {
    const other = await findServer(ws);
    if (other && other.pid !== process.pid) {
      throw new DwError("CONFLICT", `A dw server already runs for this workspace at ${other.url} (pid ${other.pid}).`, { hint: "Use it, or stop it first." });
    }
    // A deploy killed between its deployment record and its alias write is finished here, so the
    // alias refs agree with what is served (the record) from the start.
    await finishInterruptedMoves(ws).catch((e: unknown) =>
      log(`dw serve: could not finish an interrupted deployment: ${e instanceof Error ? e.message : String(e)}`),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const port = boundPort(server);
    const info: ServerInfo = {
      pid: process.pid,
      host,
      port,
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      workspace: ws.root,
      started_at: new Date().toISOString(),
      version: DW_VERSION,
    };
    await atomicWrite(serverInfoPath(ws), documentText(info));
    return info;
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    // Remove the record only if it is still ours.
    const current = await readFile(serverInfoPath(ws), "utf8").catch(() => "");
    if (current.includes(`"pid": ${process.pid},`)) await rm(serverInfoPath(ws), { force: true });
  };
  return { info, close };
}
