#!/usr/bin/env node
// Starts JupyterLab from .venv on this repository, waits until it answers, and prints the link to
// the quickstart notebook. Stays in the foreground; Ctrl-C stops the server cleanly (a second
// Ctrl-C terminates it, a third kills it). Extra arguments go to `jupyter lab`.
//
//   node scripts/start.mjs [jupyter lab args...]     (run `node scripts/setup.mjs` first; `npm start` does)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jupyterEnv } from "./lib/jupyterEnv.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const jupyter = join(repo, ".venv", "bin", "jupyter");
if (!existsSync(jupyter)) {
  console.error("[start] .venv/bin/jupyter is missing: run `node scripts/setup.mjs` (or `npm start`, which does).");
  process.exit(1);
}

const portIsFree = (port) =>
  new Promise((ok) => {
    const s = createServer().once("error", () => ok(false));
    s.listen(port, "127.0.0.1", () => s.close(() => ok(true)));
  });
let port = 8888;
while (port < 8938 && !(await portIsFree(port))) port++;

let ready = false;
const token = randomBytes(24).toString("hex");
const args = [
  "lab",
  "--allow-root",
  "--no-browser",
  `--ServerApp.root_dir=${repo}`,
  "--ServerApp.ip=127.0.0.1",
  `--port=${port}`,
  "--ServerApp.port_retries=50",
  `--IdentityProvider.token=${token}`,
  ...process.argv.slice(2),
];
// Its own process group and no terminal on stdin: Ctrl-C reaches the server once, through us,
// and the server stops at once instead of asking "Shutdown this Jupyter server (y/[n])?".
const server = spawn(jupyter, args, { cwd: repo, env: jupyterEnv(repo), stdio: ["ignore", "inherit", "pipe"], detached: true });
server.stderr.on("data", (d) => {
  process.stderr.write(d);
  // Another process may take the port between our check and Jupyter's bind; Jupyter then moves on.
  const m = /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)\/lab/.exec(String(d));
  if (m && !ready) port = Number(m[1]);
});

let exited = false;
let stops = 0;
const stop = () => {
  if (exited) return;
  const sig = ["SIGINT", "SIGTERM", "SIGKILL"][Math.min(stops++, 2)];
  if (stops > 1) console.error(`[start] sending ${sig} to the server`);
  server.kill(sig);
};
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, stop);
process.on("exit", () => exited || server.kill("SIGTERM"));
server.on("exit", (code, signal) => {
  exited = true;
  process.exit(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1));
});

const deadline = Date.now() + 120_000;
for (;;) {
  if (exited) break;
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` } });
    if (r.ok) {
      ready = true;
      break;
    }
  } catch {}
  if (Date.now() > deadline) {
    console.error(`[start] JupyterLab did not answer on port ${port} within 2 minutes; see its log above.`);
    stop();
    break;
  }
  await new Promise((r) => setTimeout(r, 300));
}
if (!exited && stops === 0) {
  const url = `http://127.0.0.1:${port}/lab/tree/examples/quickstart.ipynb?token=${token}`;
  console.log(`\n  dw is ready. Open the quickstart:\n\n    ${url}\n\n  Ctrl-C stops the server.\n`);
}
