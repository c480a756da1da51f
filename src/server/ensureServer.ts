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

async function start(ws: Workspace, timeoutMs: number): Promise<ServerInfo & ServerAuth> {
  await mkdir(ws.dwDir, { recursive: true });
  const logPath = join(ws.dwDir, "server.log");
  const log = openSync(logPath, "a");
  const child = spawn(process.execPath, [CLI, "serve", "--workspace", ws.root, "--port", "0", "--log-file", logPath], {
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
  throw new DwError("SERVER_ERROR", `dw serve did not start${exited !== null ? ` (it exited with code ${exited})` : ` within ${timeoutMs / 1000} s`}.`, {
    hint: `See ${logPath}. Last lines:\n${tail}`,
  });
}
