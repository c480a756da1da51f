import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { readFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Workspace } from "../workspace/Workspace.js";
import type { ServerInfo } from "./serverInfo.js";
import { DwError } from "../errors/DwError.js";
import { authHeadersFor, type ServerAuth } from "./token.js";

const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

export function serverInfoPath(ws: Workspace): string {
  return join(ws.dwDir, "server.json");
}

/**
 * The server recorded in `.dw/server.json`, if its process is alive and it answers /ping (with the
 * workspace's token when it checks tokens).
 */
export async function findServer(ws: Workspace): Promise<(ServerInfo & ServerAuth) | null> {
  let info: ServerInfo & ServerAuth;
  try {
    info = JSON.parse(await readFile(serverInfoPath(ws), "utf8"));
  } catch {
    return null;
  }
  try {
    process.kill(info.pid, 0);
  } catch {
    return null;
  }
  try {
    const res = await fetch(`${info.url}/ping`, { headers: await authHeadersFor(info), signal: AbortSignal.timeout(2000) });
    return res.ok ? info : null;
  } catch {
    return null;
  }
}

let starting: Promise<ServerInfo & ServerAuth> | null = null;

/**
 * Finds the workspace's `dw serve`, or starts one detached from this process so that it outlives
 * a kernel restart; a later kernel finds it again through `.dw/server.json`.
 */
export async function ensureServer(ws: Workspace, options: { timeoutMs?: number } = {}): Promise<ServerInfo & ServerAuth> {
  const found = await findServer(ws);
  if (found) return found;
  if (!starting) {
    starting = start(ws, options.timeoutMs ?? 20_000).finally(() => {
      starting = null;
    });
  }
  return starting;
}

/**
 * The port a started `dw serve` listens on: DW_SERVE_PORT (the sidebar's "Server port" setting sets
 * it in the kernel), else 0, any free port. Checked before anything starts.
 */
export function servePort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DW_SERVE_PORT?.trim();
  if (raw === undefined || raw === "") return 0;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new DwError("CONFIG_ERROR", `DW_SERVE_PORT is '${raw.slice(0, 20)}', which is not a port.`, {
      hint: "Set DW_SERVE_PORT (or the dw sidebar's Server port setting) to a number from 1024 to 65535, or 0 for any free port.",
    });
  }
  return port;
}

async function start(ws: Workspace, timeoutMs: number): Promise<ServerInfo & ServerAuth> {
  const port = servePort();
  await mkdir(ws.dwDir, { recursive: true });
  const logPath = join(ws.dwDir, "server.log");
  const log = openSync(logPath, "a");
  const child = spawn(process.execPath, [CLI, "serve", "--workspace", ws.root, "--port", String(port), "--log-file", logPath], {
    detached: true,
    stdio: ["ignore", log, log],
    cwd: ws.root,
    env: process.env,
  });
  closeSync(log);
  child.unref();
  let exited: number | null = null;
  child.on("exit", (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const info = await findServer(ws);
    if (info) return info;
    if (exited !== null) break;
  }
  const tail = (await readFile(logPath, "utf8").catch(() => "")).split("\n").slice(-8).join("\n");
  const portHint =
    port !== 0
      ? ` It was asked for port ${port} (DW_SERVE_PORT, or the sidebar's Server port setting): if another program holds that port, choose another or 0 for any free port.`
      : "";
  throw new DwError("SERVER_ERROR", `dw serve did not start${exited !== null ? ` (it exited with code ${exited})` : ` within ${timeoutMs / 1000} s`}.`, {
    hint: `See ${logPath}.${portHint} Last lines:\n${tail}`,
  });
}
