#!/usr/bin/env node
// A read-only tool call through `dw mcp` (what an agent pays per call once connected) against the
// same call through the CLI (a whole process per call, start-up included), issue 15.
//
//   node bench/mcp.mjs [--calls N] [--cli-calls K] [--write]   (after `npx tsc -p .`)
//
// The workspace is bench/sharing.mjs's (200 runs, 50 versions over 5 models; built once and
// cached, bench/sharing/registryWorkspace.mjs). The tool: get_model_versions of temp0 (10
// versions, each read from its registration commit).
//   MCP: the SDK's own Client and StdioClientTransport start `dw mcp --workspace <ws>` as a desktop
//     agent does; the time to a connected session (spawn + initialize) is measured over 5 sessions,
//     then, in one session after 5 warm-up calls, N calls (default 200) one after another: p50, p90.
//   CLI: `node bin/dw.js get_model_versions --model_name temp0 --workspace <ws>` K times (default 10).
// The structured result over MCP must equal the CLI's JSON, or the bench fails.
// --write puts the table into docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { reportTargets } from "./lib/targets.mjs";
import { median, timeProcess } from "./lib/timeProcess.mjs";
import { registryWorkspace } from "./sharing/registryWorkspace.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argAt = (name, fallback) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const CALLS = argAt("--calls", 200);
const CLI_CALLS = argAt("--cli-calls", 10);
const SESSIONS = 5;
const WARMUP = 5;
const write = process.argv.includes("--write");
const log = (m) => console.error(`[mcp] ${m}`);
const dwBin = join(repo, "bin", "dw.js");
const TOOL = "get_model_versions";
const ARGS = { model_name: "temp0" };

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** A connected SDK client over a new `dw mcp` process, and the seconds from spawn to the end of initialize. */
async function connect(dir) {
  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [dwBin, "mcp", "--workspace", dir], stderr: "ignore" });
  const client = new Client({ name: "dw-bench", version: "1.0.0" });
  await client.connect(transport);
  return { client, seconds: (performance.now() - started) / 1000 };
}

async function call(client) {
  const r = await client.callTool({ name: TOOL, arguments: ARGS });
  if (r.isError) throw new Error(`${TOOL} over MCP failed: ${JSON.stringify(r.content)}`);
  return r.structuredContent;
}

const ws = await registryWorkspace({ repo, runs: 200, versions: 50, log });
log(ws.built ? `built the workspace in ${ws.built.toFixed(1)} s: ${ws.dir}` : `workspace from the cache: ${ws.dir}`);

const connects = [];
for (let i = 0; i < SESSIONS; i++) {
  const s = await connect(ws.dir);
  connects.push(s.seconds);
  await s.client.close();
}
const session = await connect(ws.dir);
let mcpAnswer;
const mcpTimes = [];
let listSeconds;
let listAgainSeconds;
try {
  let t = performance.now();
  const { tools } = await session.client.listTools();
  listSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await session.client.listTools();
  listAgainSeconds = (performance.now() - t) / 1000;
  if (!tools.some((x) => x.name === TOOL)) throw new Error(`dw mcp does not list ${TOOL}`);
  for (let i = 0; i < WARMUP; i++) mcpAnswer = await call(session.client);
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await call(session.client);
    mcpTimes.push((performance.now() - started) / 1000);
  }
  log(`${CALLS} calls over MCP, ${tools.length} tools listed`);
} finally {
  await session.client.close();
}

const cliTimes = [];
let cliAnswer;
for (let i = 0; i < CLI_CALLS; i++) {
  const r = await timeProcess(process.execPath, [dwBin, TOOL, "--json", JSON.stringify(ARGS), "--workspace", ws.dir]);
  cliTimes.push(r.seconds);
  cliAnswer = JSON.parse(r.stdout);
}
if (!isDeepStrictEqual(cliAnswer, mcpAnswer))
  throw new Error(`the CLI and MCP answer differently:\nCLI ${JSON.stringify(cliAnswer)}\nMCP ${JSON.stringify(mcpAnswer)}`);

const ms = (s) => (s * 1000).toFixed(1);
const connect50 = median(connects);
const mcp50 = median(mcpTimes);
const cli50 = median(cliTimes);
// An agent starts the session and lists the tools once; each call then saves (CLI − MCP).
const breakEven = Math.ceil((connect50 + listSeconds) / (cli50 - mcp50));
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
const sdk = JSON.parse(readFileSync(join(repo, "node_modules", "@modelcontextprotocol", "sdk", "package.json"), "utf8")).version;
const text = [
  `Measured ${when} UTC by \`node bench/mcp.mjs${write ? " --write" : ""}\` on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, @modelcontextprotocol/sdk ${sdk}; dw at ${commit}; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(
      " / ",
    )} at the end. \`${TOOL} --model_name temp0\` (10 versions) in bench/sharing.mjs's workspace (200 runs, 50 versions); the same answer both ways.`,
  "",
  "| | calls | p50 ms | p90 ms | CLI ÷ MCP (p50) |",
  "| --- | ---: | ---: | ---: | ---: |",
  `| MCP: a call in a connected \`dw mcp\` session (SDK client, stdio) | ${CALLS} | ${ms(mcp50)} | ${ms(quantile(mcpTimes, 0.9))} | ${(cli50 / mcp50).toFixed(0)}× |`,
  `| CLI: \`dw ${TOOL} --json …\`, the whole process | ${CLI_CALLS} | ${ms(cli50)} | ${ms(quantile(cliTimes, 0.9))} | |`,
  `| MCP, once per session: spawn \`dw mcp\` + initialize | ${SESSIONS} | ${ms(connect50)} | ${ms(quantile(connects, 0.9))} | |`,
  `| MCP, once per session: tools/list (every tool with its schemas), first / again | 1 + 1 | ${ms(listSeconds)} / ${ms(listAgainSeconds)} | | |`,
  "",
  `Counting the session's start (spawn, initialize, the first tools/list), an agent is ahead over MCP from call ${breakEven} of a session on.`,
].join("\n");
console.log(`\n${text}`);
reportTargets("MCP against the CLI (bench/mcp.mjs)", [
  { what: `${TOOL} over MCP, p50 in a session`, measured: `${ms(mcp50)} ms`, target: "≤ 50 ms", ok: mcp50 <= 0.05 },
  { what: `CLI process ÷ MCP call, p50`, measured: `${(cli50 / mcp50).toFixed(0)}×`, target: "≥ 10×", ok: cli50 / mcp50 >= 10 },
]);
if (write) {
  const doc = join(repo, "docs", "benchmarks.md");
  const before = readFileSync(doc, "utf8");
  const start = "<!-- mcp:start -->";
  const end = "<!-- mcp:end -->";
  const i = before.indexOf(start);
  const j = before.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/benchmarks.md has no ${start} … ${end} block to replace`);
  writeFileSync(doc, `${before.slice(0, i + start.length)}\n${text}\n${before.slice(j)}`);
  log("wrote docs/benchmarks.md");
}
