#!/usr/bin/env node
// Sharing the registry (issue 15): `dw push` and `dw pull` against the git commands a git user
// would run instead, over a real smart HTTP server (git http-backend) and over a plain path.
//
//   node bench/sharing.mjs [--runs N] [--versions M] [--reps K] [--write]   (after `npx tsc -p .`)
//
// The workspace: N runs (default 200; linear regressions, each with 3 log_metrics steps, so each
// run ref is a chain of 4 commits) and M registered versions (default 50, over 5 models, each
// model's newest under the alias production), made through dw's own tools in one process and
// cached in $TMPDIR/dw-bench-sharing/ (bench/sharing/registryWorkspace.mjs).
// Per repetition (K, default 5; medians reported) and per remote (http: git http-backend behind
// node:http in this process, bench/lib/gitHttpServer.mjs; path: a bare repository's
// path, which dw hands to the user's git), each side gets its own copy of the workspace and its
// own empty bare remote, then, timed as whole processes:
//   first push:        `dw push <remote>`           vs `git push <remote> 'refs/dw/*:refs/dw/*'`
//   incremental push:  one more version registered (not timed), the same two commands again
//   pull:              into a fresh `git init` folder, `dw pull <remote>` vs `git fetch <remote> 'refs/dw/*:refs/dw/*'`
// dw and git alternate which goes first. After each command the refs under refs/dw/ of both ends
// are compared: a command that moved the wrong refs fails the bench. --write puts the table into
// docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { reportTargets } from "./lib/targets.mjs";
import { median, timeProcess } from "./lib/timeProcess.mjs";
import { registryWorkspace } from "./sharing/registryWorkspace.mjs";
import { startGitHttpServer } from "./lib/gitHttpServer.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argAt = (name, fallback) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const RUNS = argAt("--runs", 200);
const VERSIONS = argAt("--versions", 50);
const REPS = argAt("--reps", 5);
const write = process.argv.includes("--write");
const log = (m) => console.error(`[sharing] ${m}`);
const dwBin = join(repo, "bin", "dw.js");
const env = { ...process.env, GIT_TERMINAL_PROMPT: "0" };

const { createToolContext, runTool } = await import(join(repo, "dist", "src", "index.js"));

/** refs/dw/* of a repository (a work tree or a bare one) as "oid ref" lines, sorted. */
function dwRefs(gitDir) {
  return execFileSync("git", ["--git-dir", gitDir, "for-each-ref", "--format=%(objectname) %(refname)", "refs/dw/"], { encoding: "utf8" });
}

function sameRefs(what, a, b) {
  const x = dwRefs(a);
  if (x !== dwRefs(b)) throw new Error(`${what}: refs/dw/ of ${a} and ${b} differ: the command did not do what is measured`);
  return x.trim().split("\n").length;
}

/** Registers one more version of temp0 from the first run (the incremental push's new version), not timed. */
async function registerOne(dir, runId) {
  const ctx = await createToolContext({ cwd: dir, workspaceDir: dir });
  const r = await runTool("register_model", { model_id: runId, model_name: "temp0" }, ctx);
  if (!r.ok) throw new Error(`register_model in ${dir}: ${JSON.stringify(r.error)}`);
}

const work = mkdtempSync(join(tmpdir(), "dw-bench-sharing-run-"));
const remotes = join(work, "remotes");
mkdirSync(remotes);
const server = await startGitHttpServer(remotes);
const times = {}; // `${remote} ${case} ${side}` → seconds[]
const note = (key, s) => (times[key] ??= []).push(s);
let refCount = 0;
const packBytes = {}; // `${remote} ${side}` → bytes of packs on that side's remote after both pushes
try {
  const ws = await registryWorkspace({ repo, runs: RUNS, versions: VERSIONS, log });
  log(ws.built ? `built the workspace in ${ws.built.toFixed(1)} s: ${ws.dir}` : `workspace from the cache: ${ws.dir}`);
  let n = 0;
  const fresh = (name) => join(work, `${name}-${n++}`);
  const copy = (name) => {
    const dst = fresh(name);
    execFileSync("cp", ["-a", ws.dir, dst]);
    return dst;
  };
  const emptyRemote = (kind) => {
    const name = `r${n++}.git`;
    const path = join(remotes, name);
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", path]);
    execFileSync("git", ["--git-dir", path, "config", "http.receivepack", "true"]);
    return { path, url: kind === "http" ? server.url(name) : path };
  };

  for (let rep = 0; rep < REPS; rep++) {
    for (const kind of ["http", "path"]) {
      const sides = rep % 2 ? ["git", "dw"] : ["dw", "git"];
      const state = {};
      for (const side of sides) {
        const dir = copy(`${side}-ws`);
        const remote = emptyRemote(kind);
        const push = side === "dw" ? [process.execPath, [dwBin, "push", remote.url]] : ["git", ["push", "-q", remote.url, "refs/dw/*:refs/dw/*"]];
        note(`${kind} first ${side}`, (await timeProcess(...push, { cwd: dir, env })).seconds);
        refCount = sameRefs(`${side} first push over ${kind}`, join(dir, ".git"), remote.path);
        state[side] = { dir, remote, push };
      }
      for (const side of sides) {
        const { dir, remote, push } = state[side];
        await registerOne(dir, ws.runIds[0]);
        note(`${kind} incremental ${side}`, (await timeProcess(...push, { cwd: dir, env })).seconds);
        sameRefs(`${side} incremental push over ${kind}`, join(dir, ".git"), remote.path);
      }
      for (const side of sides) {
        const { remote } = state[side];
        const dir = fresh(`${side}-clone`);
        execFileSync("git", ["init", "-q", "-b", "main", dir]);
        const pull = side === "dw" ? [process.execPath, [dwBin, "pull", remote.url]] : ["git", ["fetch", "-q", remote.url, "refs/dw/*:refs/dw/*"]];
        note(`${kind} pull ${side}`, (await timeProcess(...pull, { cwd: dir, env })).seconds);
        sameRefs(`${side} pull over ${kind}`, join(dir, ".git"), remote.path);
      }
      for (const side of sides) {
        const counted = execFileSync("git", ["--git-dir", state[side].remote.path, "count-objects", "-v"], { encoding: "utf8" });
        packBytes[`${kind} ${side}`] = Number(/size-pack: (\d+)/.exec(counted)[1]) * 1024;
      }
      for (const side of sides) rmSync(state[side].dir, { recursive: true, force: true });
    }
    // dw's start-up alone (Node, the CLI and every tool loaded; --version does no more), to read the rows against.
    note("startup", (await timeProcess(process.execPath, [dwBin, "--version"], { env })).seconds);
    log(`repetition ${rep + 1} of ${REPS} done`);
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

const med = (key) => median(times[key]);
const f = (s) => s.toFixed(2);
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const CASES = [
  ["first", "first push into an empty remote", "`dw push <remote>`", "`git push <remote> 'refs/dw/*:refs/dw/*'`"],
  ["incremental", "incremental push of one new version", "`dw push <remote>`", "the same `git push`"],
  ["pull", "pull into a fresh clone", "`dw pull <remote>`", "`git fetch <remote> 'refs/dw/*:refs/dw/*'`"],
];
const REMOTES = [
  ["http", "HTTP, git http-backend (dw: its own smart HTTP client)"],
  ["path", "a plain path (dw: the user's git)"],
];
const rows = [];
for (const [kind, remoteName] of REMOTES)
  for (const [c, what, dwCmd, gitCmd] of CASES) {
    const d = med(`${kind} ${c} dw`);
    const g = med(`${kind} ${c} git`);
    const range = (key) => `${f(Math.min(...times[key]))}–${f(Math.max(...times[key]))}`;
    rows.push({
      kind,
      c,
      d,
      g,
      line: `| ${remoteName} | ${what}: ${dwCmd} vs ${gitCmd} | ${f(d)} (${range(`${kind} ${c} dw`)}) | ${f(g)} (${range(`${kind} ${c} git`)}) | ${(d / g).toFixed(1)}× | ${f(d - g)} |`,
    });
  }
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
const gitVersion = execFileSync("git", ["--version"], { encoding: "utf8" })
  .trim()
  .replace(/^git version /, "");
const packs = ["http", "path"]
  .map(
    (kind) =>
      `${kind === "http" ? "over HTTP" : "by path"} dw's pushes left ${mb(packBytes[`${kind} dw`])} of packs on the remote, git's ${mb(packBytes[`${kind} git`])}`,
  )
  .join("; ");
const text = [
  `Measured ${when} UTC by \`node bench/sharing.mjs${write ? " --write" : ""}\` on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, git ${gitVersion}; dw at ${commit}; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(
      " / ",
    )} at the end. The workspace: ${RUNS} runs (4 commits each), ${VERSIONS} versions over 5 models, 5 aliases: ${refCount} refs under refs/dw/ (one more after the incremental push), ${packs}. Median of ${REPS} runs of each whole command (fastest–slowest in brackets), each into its own remote.`,
  "",
  "| remote | what | dw seconds | git seconds | dw ÷ git | dw − git seconds |",
  "| --- | --- | ---: | ---: | ---: | ---: |",
  ...rows.map((r) => r.line),
  `| | dw's start-up alone: \`dw --version\` (Node, the CLI and its tools loaded) | ${f(med("startup"))} (${f(Math.min(...times.startup))}–${f(Math.max(...times.startup))}) | | | |`,
].join("\n");
console.log(`\n${text}`);
// What dw does beyond git and beyond starting (planning every ref three ways, base refs, the data
// check; over HTTP also its own client and pack indexing in JavaScript) is bounded per command.
const startup = med("startup");
reportTargets(
  "Sharing against git (bench/sharing.mjs)",
  rows.map((r) => ({
    what: `${r.kind === "http" ? "HTTP" : "path"}, ${r.c === "first" ? "first push" : r.c === "incremental" ? "incremental push" : "pull into a fresh clone"}: dw − git − dw's start-up`,
    measured: `${f(r.d - r.g - startup)} s (dw ${(r.d / r.g).toFixed(1)}× git)`,
    target: "≤ 1 s",
    ok: r.d - r.g - startup <= 1,
  })),
);
if (write) {
  const doc = join(repo, "docs", "benchmarks.md");
  const before = readFileSync(doc, "utf8");
  const start = "<!-- sharing:start -->";
  const end = "<!-- sharing:end -->";
  const i = before.indexOf(start);
  const j = before.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/benchmarks.md has no ${start} … ${end} block to replace`);
  writeFileSync(doc, `${before.slice(0, i + start.length)}\n${text}\n${before.slice(j)}`);
  log("wrote docs/benchmarks.md");
}
