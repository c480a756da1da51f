import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../../helpers/tempWorkspace.js";

/** A real MLflow tracking server (.venv-bench's mlflow), its store in a temporary folder. */
export interface MlflowServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `mlflow server` on a free port with a SQLite store and proxied artifacts in a temporary
 * folder, one worker, and waits for /health. The server runs in its own process group (mlflow's
 * command starts uvicorn as a child), which stop() ends as a whole. With `admin`, MLflow's own
 * basic authentication is on (`--app-name basic-auth`, mlflow[auth]), with that user as its admin
 * and READ the default permission of everyone else.
 */
export async function startMlflowServer(options: { admin?: { username: string; password: string } } = {}): Promise<MlflowServer> {
  const dir = await mkdtemp(join(tmpdir(), "dw-mlflow-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["server", "--backend-store-uri", `sqlite:///${join(dir, "mlflow.db")}`, "--artifacts-destination", join(dir, "artifacts")];
  args.push("--host", "127.0.0.1", "--port", String(port), "--workers", "1");
  const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_TRACKING_URI: "" };
  if (options.admin) {
    const config = join(dir, "basic_auth.ini");
    await writeFile(
      config,
      [
        "[mlflow]",
        "default_permission = READ",
        `database_uri = sqlite:///${join(dir, "auth.db")}`,
        `admin_username = ${options.admin.username}`,
        `admin_password = ${options.admin.password}`,
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
        "",
      ].join("\n"),
    );
    args.push("--app-name", "basic-auth");
    env.MLFLOW_AUTH_CONFIG_PATH = config;
    env.MLFLOW_FLASK_SERVER_SECRET_KEY = "dw-test-only";
  }
  const proc: ChildProcess = spawn(join(repoRoot, ".venv-bench", "bin", "mlflow"), args, {
    cwd: dir,
    detached: true,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  proc.stderr?.on("data", (d) => {
    log = (log + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const stop = async () => {
    if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(-proc.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-proc.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`mlflow server exited (${proc.exitCode}): ${log}`);
      try {
        if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`mlflow server did not answer /health within 60 s: ${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
