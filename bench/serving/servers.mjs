// Starting and stopping the servers bench/serving.mjs measures: `dw serve` and `mlflow models serve`,
// each in a process group of its own, so that stopping one ends its workers too and nothing else.
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const started = new Set();

// A bench that fails or is interrupted still stops what it started (by process group id).
process.on("exit", () => {
  for (const s of started) killGroup(s.pid, "SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** A port free right now on 127.0.0.1 (MLflow needs one named; dw picks its own). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once GET <url>/ping answers 200, rejects after `seconds` or when the process exits first. */
async function waitForPing(server, seconds) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (server.exited) throw new Error(`${server.name} exited (${server.exited}) before answering /ping:\n${tail(server.logFile)}`);
    try {
      const r = await fetch(`${server.url}/ping`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${server.name} did not answer /ping within ${seconds} s:\n${tail(server.logFile)}`);
}

function tail(file) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

function launch(name, command, args, { env, logFile }) {
  const log = createWriteStream(logFile);
  const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const server = { name, pid: child.pid, child, logFile, url: null, exited: null };
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.on("exit", (code, signal) => {
    server.exited = signal ?? `exit ${code}`;
    started.delete(server);
  });
  started.add(server);
  return server;
}

/**
 * `dw serve` on a workspace, in whatever process layout it chooses (the pid measured is the one
 * started; its workers are its children). Resolves once it answers /ping.
 */
export async function startDwServe(repo, workspace, logDir) {
  const server = launch("dw serve", process.execPath, [join(repo, "bin", "dw.js"), "serve", "--workspace", workspace], {
    env: process.env,
    logFile: join(logDir, "dw-serve.log"),
  });
  server.url = await new Promise((resolve, reject) => {
    let out = "";
    server.child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.child.once("exit", () => reject(new Error(`dw serve exited before listening:\n${tail(server.logFile)}`)));
  });
  await waitForPing(server, 30);
  return server;
}

/**
 * `mlflow models serve --env-manager local` of one saved model with `workers` uvicorn workers,
 * from .venv-bench. Its bin directory goes first on PATH because MLflow starts `uvicorn` from PATH
 * (without it, exit 127); MLFLOW_ALLOW_FILE_STORE because MLflow 3.17 refuses a file store without
 * it. The OpenBLAS variables this machine sets for older builds slow a current numpy, so they are
 * dropped for MLflow's processes only (as bench/run.mjs does for scikit-learn).
 */
export async function startMlflowServe(venv, modelDir, workers, logDir, label) {
  const port = await freePort();
  const env = { ...process.env, PATH: `${join(venv, "bin")}:${process.env.PATH}`, MLFLOW_ALLOW_FILE_STORE: "true" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = ["models", "serve", "-m", modelDir, "--env-manager", "local", "-h", "127.0.0.1", "-p", String(port), "-w", String(workers)];
  const server = launch(`mlflow models serve (${label})`, join(venv, "bin", "mlflow"), args, { env, logFile: join(logDir, `mlflow-${label}.log`) });
  server.url = `http://127.0.0.1:${port}`;
  await waitForPing(server, 180);
  return server;
}

/** Stops a server's whole process group: SIGTERM, then SIGKILL after 10 s. */
export async function stopServer(server) {
  if (server.exited) return;
  const gone = new Promise((r) => server.child.once("exit", r));
  killGroup(server.pid, "SIGTERM");
  const timer = setTimeout(() => killGroup(server.pid, "SIGKILL"), 10_000);
  await gone;
  clearTimeout(timer);
}
