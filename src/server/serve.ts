import { readFile, rm } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { createServer, boundPort, DEFAULT_LIMITS } from "./createServer.js";
import { findServer, serverInfoPath } from "./ensureServer.js";
import type { ServerInfo } from "./serverInfo.js";
import { DW_VERSION } from "../version.js";
import { DwError } from "../errors/DwError.js";

/**
 * Runs `dw serve` for a workspace until SIGTERM/SIGINT. One server per workspace: if a live one
 * is recorded already, this refuses to start a second. The chosen port is recorded in
 * `.dw/server.json` so kernels and CLIs find it again.
 */
export async function serve(ws: Workspace, options: { host?: string; port?: number } = {}): Promise<{ info: ServerInfo; close(): Promise<void> }> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer(ws, DEFAULT_LIMITS);
  const info = await ws.withLock(async () => {
    const other = await findServer(ws);
    if (other && other.pid !== process.pid) {
      throw new DwError("CONFLICT", `A dw server already runs for this workspace at ${other.url} (pid ${other.pid}).`, { hint: "Use it, or stop it first." });
    }
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
    await atomicWrite(serverInfoPath(ws), JSON.stringify(info, null, 2) + "\n");
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
