import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./tempWorkspace.js";

export interface JupyterLab {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  /** The server's stdout and stderr so far (the last 200 kB), for diagnostics. */
  log(): string;
  /** Stops the server's process group and waits until it has exited. */
  stop(): Promise<void>;
}

export interface JupyterLabOptions {
  /** The folder JupyterLab serves. */
  rootDir: string;
  /** The `jupyter` executable; defaults to $DW_JUPYTER, then `<repo>/.venv/bin/jupyter`. */
  jupyter?: string;
  /** How long to wait for `/api/status` to answer. */
  startTimeoutMs?: number;
  /**
   * Start with no user settings at all, as a new user's JupyterLab does, instead of user settings
   * that turn the news prompt off: for checking what the environment itself sets.
   */
  noUserSettings?: boolean;
  /** Which frontend to serve: JupyterLab (default) or Notebook 7 (`jupyter notebook`), which loads the same labextensions. */
  app?: "lab" | "notebook";
}

const LOG_LIMIT = 200_000;

/**
 * Starts `jupyter lab` on a free port with a random token and fresh user settings and
 * workspaces (so no layout or news prompt leaks in from the machine), and waits until it answers.
 */
export async function startJupyterLab(options: JupyterLabOptions): Promise<JupyterLab> {
  const jupyter = options.jupyter ?? process.env.DW_JUPYTER ?? join(repoRoot, ".venv", "bin", "jupyter");
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const url = `http://127.0.0.1:${port}`;
  const stateDir = await mkdtemp(join(tmpdir(), "dw-jlab-"));
  const settingsDir = join(stateDir, "settings");
  await mkdir(join(settingsDir, "@jupyterlab", "apputils-extension"), { recursive: true });
  if (!options.noUserSettings) {
    await writeFile(
      join(settingsDir, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"),
      JSON.stringify({ fetchNews: "false", checkForUpdates: false }),
    );
  }

  // Notebook 7's server app takes the same settings as JupyterLab's, under its own class name.
  const appClass = options.app === "notebook" ? "JupyterNotebookApp" : "LabApp";
  const child = spawn(
    jupyter,
    [
      options.app ?? "lab",
      "--allow-root",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${options.rootDir}`,
      `--${appClass}.expose_app_in_browser=True`,
      `--${appClass}.user_settings_dir=${settingsDir}`,
      `--${appClass}.workspaces_dir=${join(stateDir, "workspaces")}`,
      ...(options.app === "notebook" ? [] : ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]),
    ],
    { cwd: options.rootDir, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const append = (chunk: Buffer): void => {
    output += chunk.toString("utf8");
    if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let spawnError: Error | null = null;
  child.once("error", (error) => (spawnError = error));

  const stop = async (): Promise<void> => {
    await killGroup(child, exited);
    await rm(stateDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (spawnError) {
      await stop();
      throw new Error(`could not start ${jupyter}: ${String(spawnError)}. Run \`npm run setup\` first.`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`jupyter lab exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter lab did not answer ${url}/api/status in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, token, log: () => output, stop };
}

/** SIGTERM to the whole process group (jupyter then shuts its kernels down), SIGKILL after 15 s. */
async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // the group is already gone
    }
  };
  signal("SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 15_000))]);
  if (timedOut) {
    signal("SIGKILL");
    await exited;
  }
}

/** A port that was free a moment ago (jupyter needs a number: it cannot be told port 0). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
