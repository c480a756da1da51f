import { readFile, rm } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { documentText } from "../workspace/documentText.js";
import { createServer, boundPort, DEFAULT_LIMITS, LOOPBACK_HOSTS, type ServerLimits } from "./createServer.js";
import { findServer, serverInfoPath } from "./ensureServer.js";
import { createServerLog } from "./serverLog.js";
import { finishInterruptedMoves } from "../deployment/moveServedAlias.js";
import type { ServerInfo } from "./serverInfo.js";
import { DW_VERSION } from "../version.js";
import { DwError } from "../errors/DwError.js";
import { ensureToken, tokenPath, type ServerAuth } from "./token.js";
import { availableParallelism } from "node:os";
import { startWorkers } from "./serveWorkers.js";
import { startMonitor } from "../monitoring/monitor/startMonitor.js";

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Check the scoring token on loopback too (always checked on any other address). */
  requireToken?: boolean;
  /** Replace the workspace's token with a new one before serving (clients need the new one). */
  rotateToken?: boolean;
  /**
   * Check no token on any address: for a server that only an authenticating proxy reaches (KServe's
   * ingress, a mesh policy), whose health probes cannot send one. Logged as a warning at start.
   */
  public?: boolean;
  /** Limits other than the defaults (DEFAULT_LIMITS in createServer.ts). */
  limits?: Partial<ServerLimits>;
  /** Host names the Host header may carry besides the loopback names (e.g. behind a proxy). */
  allowedHosts?: ReadonlySet<string>;
  /** The log file stderr writes to, so it can be rotated (see serverLog.ts). */
  logFile?: string;
  /**
   * Processes that answer requests: 1 serves in this process; more run that many workers sharing
   * the port (serveWorkers.ts). Default: DW_SERVE_WORKERS, else one per core.
   */
  workers?: number;
}

/** How many worker processes `dw serve` runs by default: DW_SERVE_WORKERS when set to a whole number from 1, else one per core. */
export function defaultWorkers(): number {
  const env = Number(process.env.DW_SERVE_WORKERS);
  return Number.isInteger(env) && env >= 1 ? Math.min(env, 64) : availableParallelism();
}

/** Whether `host` is a loopback address or name (the only binding served without a token by default). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * Runs `dw serve` for a workspace until SIGTERM/SIGINT. One server per workspace: if a live one
 * is recorded already, this refuses to start a second. The chosen port is recorded in
 * `.dw/server.json` so kernels and CLIs find it again. On an address other than loopback (or with
 * `requireToken`) every request must carry the workspace's scoring token (src/server/token.ts),
 * made on first use and kept in `.dw/serve-token` across restarts; server.json then says
 * `"auth": "bearer"`, so dw's own clients send it. `public` turns the token off on any address (a
 * server behind an authenticating proxy, such as a KServe export's container), with a warning.
 * This process also runs the drift monitor
 * (src/monitoring/monitor/startMonitor.ts), which checks each deployment's inference log on the
 * monitoring policy's schedule.
 */
export async function serve(ws: Workspace, options: ServeOptions = {}): Promise<{ info: ServerInfo & ServerAuth; close(): Promise<void> }> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  if (options.public && (options.requireToken || options.rotateToken)) {
    throw new DwError("INVALID_INPUT", "A public dw serve checks no token, so it takes neither --require-token nor --rotate-token.", {
      hint: "Drop --public to check the token in .dw/serve-token, or drop the token flags.",
    });
  }
  const checksToken = !options.public && (!loopback || options.requireToken === true);
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = createServerLog({ file: options.logFile });
  const extra = options.allowedHosts ?? new Set<string>();
  // On loopback only requests addressed to loopback names (or the ones asked for) are answered;
  // a remote binding is reached by names we cannot know, unless the user lists them.
  // The bound address itself is always a name the server answers to (127.0.0.2 is loopback too).
  const bound = host.toLowerCase().replace(/^\[|\]$/g, "");
  const allowedHosts = loopback ? new Set([...LOOPBACK_HOSTS, bound, ...extra]) : extra.size ? new Set([bound, ...extra]) : null;
  const { info, server } = await ws.withLock(async () => {
    const other = await findServer(ws);
    if (other && other.pid !== process.pid) {
      throw new DwError("CONFLICT", `A dw server already runs for this workspace at ${other.url} (pid ${other.pid}).`, {
        hint: options.rotateToken ? "Stop it first, then rotate the token (it holds the old one until it stops)." : "Use it, or stop it first.",
      });
    }
    // Under the lock, after the check above: the token a running server holds is never replaced
    // behind its back, and two servers starting at once do not each make their own.
    let token: string | null = null;
    if (checksToken || options.rotateToken) {
      const made = await ensureToken(ws.dwDir, { rotate: options.rotateToken });
      if (made.created) log(`dw serve: made a new scoring token in ${tokenPath(ws.dwDir)}; clients need it from now on.`);
      if (made.tightened) log(`dw serve: ${tokenPath(ws.dwDir)} was readable by others; it is now readable by its owner only.`);
      if (checksToken) token = made.token;
    }
    if (checksToken) log(`dw serve: requests must carry Authorization: Bearer <the token in ${tokenPath(ws.dwDir)}>.`);
    if (options.public && !loopback)
      log(
        `dw serve: WARNING: --public: every request to ${host} is answered without a token; only an authenticating proxy (KServe's ingress, a mesh policy) may reach this port.`,
      );
    // A deploy killed between its deployment record and its alias write is finished here, so the
    // alias refs agree with what is served (the record) from the start.
    await finishInterruptedMoves(ws).catch((e: unknown) =>
      log(`dw serve: could not finish an interrupted deployment: ${e instanceof Error ? e.message : String(e)}`),
    );
    const listening = await listen(ws, { host, port: options.port ?? 0, limits, allowedHosts, log, token, workers: options.workers ?? defaultWorkers() });
    const port = listening.port;
    const info: ServerInfo & ServerAuth = {
      pid: process.pid,
      host,
      port,
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      workspace: ws.root,
      started_at: new Date().toISOString(),
      version: DW_VERSION,
      ...(checksToken ? { auth: "bearer" as const } : {}),
    };
    await atomicWrite(serverInfoPath(ws), documentText(info));
    return { info, server: listening };
  });
  // The drift checks run here, in the one process that is not a worker (or the only process):
  // one monitor per server, off the workers' request path.
  const monitor = startMonitor(ws, { log });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await monitor.close();
    await server.close();
    // Remove the record only if it is still ours.
    const current = await readFile(serverInfoPath(ws), "utf8").catch(() => "");
    if (current.includes(`"pid": ${process.pid},`)) await rm(serverInfoPath(ws), { force: true });
  };
  return { info, close };
}

/**
 * Starts answering: one createServer in this process, or `workers` worker processes sharing the
 * port. Resolves with the port once every process listens.
 */
async function listen(
  ws: Workspace,
  args: {
    host: string;
    port: number;
    limits: ServerLimits;
    allowedHosts: ReadonlySet<string> | null;
    log: (line: string) => void;
    token: string | null;
    workers: number;
  },
): Promise<{ port: number; close(): Promise<void> }> {
  if (args.workers > 1) {
    return startWorkers(
      {
        workspace: ws.root,
        host: args.host,
        port: args.port,
        limits: args.limits,
        allowedHosts: args.allowedHosts ? [...args.allowedHosts] : null,
        token: args.token,
      },
      args.workers,
      args.log,
    );
  }
  const s = createServer(ws, { limits: args.limits, allowedHosts: args.allowedHosts, log: args.log, token: args.token });
  await new Promise<void>((resolve, reject) => {
    s.once("error", reject);
    s.listen(args.port, args.host, () => resolve());
  });
  return {
    port: boundPort(s),
    close: async () => {
      await new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
    },
  };
}

/** `dw serve`'s flag for each limit (the defaults are DEFAULT_LIMITS in createServer.ts). */
export const LIMIT_FLAGS = {
  "max-body-bytes": "maxBodyBytes",
  "max-rows": "maxRows",
  "max-buffered-bytes": "maxBufferedBytes",
  "max-connections": "maxConnections",
  "max-in-flight": "maxInFlight",
  "request-timeout-ms": "requestTimeoutMs",
} as const satisfies Record<string, keyof ServerLimits>;

/**
 * The limits given as `dw serve` flags (each a whole number of at least 1), or the usage error
 * naming the flag. Bodies held at once must allow one body of the largest size.
 */
export function parseLimitFlags(values: Readonly<Record<string, unknown>>): Partial<ServerLimits> | string {
  const limits: Partial<ServerLimits> = {};
  for (const [flag, field] of Object.entries(LIMIT_FLAGS)) {
    const value = values[flag];
    if (value === undefined) continue;
    const n = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : 0;
    if (n < 1) return `--${flag} must be a whole number of at least 1, got '${String(value)}'`;
    limits[field] = n;
  }
  const { maxBodyBytes, maxBufferedBytes } = { ...DEFAULT_LIMITS, ...limits };
  if (maxBufferedBytes < maxBodyBytes) return `--max-buffered-bytes (${maxBufferedBytes}) must be at least --max-body-bytes (${maxBodyBytes})`;
  return limits;
}
