import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";
import { packagesOf, runWithModuleLog } from "../../helpers/moduleLog.js";
import { DW_VERSION } from "../../../src/version.js";
import { toolModules } from "../../../src/tools/toolModules.js";
import { toolListHelp } from "../../../src/adapters/toolListHelp.js";
import { CLI_SYNTAX } from "../../../src/cli/cliSyntax.js";

// What each command loads, read from Node's own module loader (a load hook that writes every URL
// it loads to a file), not timed: start-up speed is measured by `npm run bench`. These are the
// structure that keeps it fast — `dw --version` and `dw help` load nothing from node_modules, one
// tool's command loads that tool's definition and not the others', and no command loads a heavy
// package (DuckDB, Arrow, Parquet, PostgreSQL, MCP) before a tool that needs it runs.

const tw = await makeTempWorkspace();
const logs = await mkdtemp(join(tmpdir(), "dw-startup-"));
after(async () => {
  await tw.cleanup();
  await rm(logs, { recursive: true, force: true });
});

let runs = 0;
/** Runs `dw <args>` in the workspace; its exit code, stdout, and every module URL it loaded. */
async function dwModules(...args: string[]) {
  return nodeModules(join(repoRoot, "bin", "dw.js"), ...args);
}

/** Runs `node <args>` in the workspace; its exit code, stdout, and every module URL (or CommonJS path) it loaded. */
async function nodeModules(...args: string[]) {
  return runWithModuleLog(join(logs, `modules-${++runs}.txt`), tw.dir, args);
}

/**
 * Packages only a tool's run (reading data, the workspace's git objects, a database, MCP, a
 * trainer, a policy file) may load.
 */
const HEAVY = [
  "@duckdb/node-api",
  "apache-arrow",
  "hyparquet",
  "hyparquet-compressors",
  "pg",
  "csv-parse",
  "@modelcontextprotocol/sdk",
  "aws4fetch",
  "isomorphic-git",
  "pako",
  "ml-matrix",
  "yaml",
];

/** dist/src/tools/<file>.js for every tool, by wire name. */
async function toolFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const dir = join(repoRoot, "dist", "src", "tools");
  for (const f of await readdir(dir)) {
    if (!f.endsWith(".js")) continue;
    const text = await readFile(join(dir, f), "utf8");
    const name = /defineTool\(\{\s*name: "([a-z0-9_]+)"/.exec(text)?.[1];
    if (name) files.set(name, `/dist/src/tools/${f}`);
  }
  return files;
}

/** dw's own modules among these URLs, as paths under dist/src/. */
function ours(modules: readonly string[]): string[] {
  return modules.filter((u) => u.includes("/dist/src/")).map((u) => u.slice(u.indexOf("/dist/src/") + "/dist/src/".length));
}

function loadedTools(modules: readonly string[], files: Map<string, string>): string[] {
  return [...files].filter(([, file]) => modules.some((url) => url.endsWith(file))).map(([name]) => name);
}

test("dw --version loads dw's version and nothing from node_modules", async () => {
  const r = await dwModules("--version");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${DW_VERSION}\n`);
  assert.deepEqual([...packagesOf(r.modules)], []);
  assert.deepEqual(ours(r.modules).sort(), ["cli/main.js", "mcp/mcpUsage.js", "version.js"]);
});

test("dw help lists every tool, as their definitions describe them, without loading zod or any definition", async () => {
  const r = await dwModules("help");
  assert.equal(r.code, 0, r.stderr);
  // The text is the definitions' own (read from the generated schema/tools/*.json, which the
  // schema test keeps equal to them).
  const definitions = await Promise.all(toolModules.map((m) => m.definition()));
  assert.equal(r.stdout, `${toolListHelp(definitions, CLI_SYNTAX)}\n`);
  assert.deepEqual([...packagesOf(r.modules)], []);
  assert.deepEqual(loadedTools(r.modules, await toolFiles()), []);
});

test("dw help <tool> and a tool call load that tool's definition and no other tool's", async () => {
  const files = await toolFiles();
  assert.equal(files.size, toolModules.length, "every listed tool has its file");
  const help = await dwModules("help", "train_model");
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /--target/);
  assert.deepEqual(loadedTools(help.modules, files), ["train_model"]);

  // Invalid input is answered before the workspace is opened, but after the tool's schema is read:
  // the same modules a valid call loads up to the moment its run begins.
  const call = await dwModules("train_model", "--json", "{}");
  assert.equal(call.code, 1, call.stderr);
  assert.equal(JSON.parse(call.stdout).error.code, "INVALID_INPUT");
  assert.deepEqual(loadedTools(call.modules, files), ["train_model"]);
  const packages = packagesOf(call.modules);
  for (const p of HEAVY) assert.ok(!packages.has(p), `a train_model call loaded ${p} before its run`);
});

test("a tool's run loads its implementation: load_dataset reads a CSV", async () => {
  const r = await dwModules("load_dataset", "--json", JSON.stringify({ path: "data/seattle-weather.csv" }));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).rows, 1461);
  const files = await toolFiles();
  assert.deepEqual(loadedTools(r.modules, files), ["load_dataset"]);
  assert.ok(
    r.modules.some((u) => u.includes("/dist/src/data/ingestDataset.js")),
    "the implementation is loaded when the tool runs",
  );
});

test("load_dataset of a CSV loads no DuckDB, pg or Parquet reader; reading its columns back loads no CSV parser", async () => {
  // A file of its own (not seattle-weather, which other tests load and scan), so the scan below
  // is not answered from a stored one and has to read the dataset.
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 1.25).toFixed(2)},${i % 3 === 0 ? "north" : "south"}`);
  await writeFile(join(tw.dir, "data", "startup-columns.csv"), `id,amount,region\n${rows.join("\n")}\n`);
  const load = await dwModules("load_dataset", "--json", JSON.stringify({ path: "data/startup-columns.csv" }));
  assert.equal(load.code, 0, load.stderr);
  const loaded = JSON.parse(load.stdout);
  assert.equal(loaded.rows, 40);
  assert.ok(ours(load.modules).includes("data/readCsv.js"), "the CSV was parsed");
  const loadPackages = packagesOf(load.modules);
  for (const p of ["@duckdb/node-api", "pg", "hyparquet"]) assert.ok(!loadPackages.has(p), `load_dataset of a CSV loaded ${p}`);
  for (const m of ["data/readParquet.js", "data/readJson.js", "data/kernelData.js"])
    assert.ok(!ours(load.modules).includes(m), `load_dataset of a CSV loaded ${m}`);
  assert.ok(!ours(load.modules).some((m) => m.startsWith("data/sql/")), "load_dataset of a CSV loaded the SQL sources");

  // scan_pii reads the dataset's columns (no scan of them is stored yet): from the column cache
  // load_dataset wrote, so no file reader, CSV parser or shared-cache client is loaded.
  const scan = await dwModules("scan_pii", "--json", JSON.stringify({ dataset_id: loaded.dataset_id }));
  assert.equal(scan.code, 0, scan.stderr);
  assert.equal(JSON.parse(scan.stdout).rows, 40);
  const read = ours(scan.modules);
  for (const m of ["data/readDataset.js", "data/columnCache.js"]) assert.ok(read.includes(m), `scan_pii did not load ${m}: it did not read the dataset`);
  for (const m of [
    "data/readDataFile.js",
    "data/readCsv.js",
    "data/csvScanner.js",
    "data/readCsvParallel.js",
    "data/parseNumericRow.js",
    "data/CsvWorkerPool.js",
    "data/readParquet.js",
  ])
    assert.ok(!read.includes(m), `reading cached columns loaded ${m}`);
  assert.ok(!read.some((m) => m.startsWith("data/sharedCache/")), "reading a cached file loaded the shared cache's clients");
  const scanPackages = packagesOf(scan.modules);
  for (const p of ["@duckdb/node-api", "pg", "hyparquet", "csv-parse", "aws4fetch"]) assert.ok(!scanPackages.has(p), `reading cached columns loaded ${p}`);
});

test("an unknown tool is named with the nearest tool, without loading any tool", async () => {
  const r = await dwModules("train_modle");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Did you mean 'train_model'\?/);
  assert.deepEqual(loadedTools(r.modules, await toolFiles()), []);
});

test("no tool's definition loads a package but zod (the schemas' constants live in import-free files)", async () => {
  // select_model's output schema is built from training/*'s schemas (BakeOffSummary,
  // Recommendation, DataCharacteristics), which sit beside the trainers and load ml-matrix; it is
  // checked alone so that every other tool's definition is held to zod only.
  const exempt = new Set(["select_model"]);
  const names = toolModules.map((m) => m.name).filter((n) => !exempt.has(n));
  const script = `import { loadTool } from ${JSON.stringify(pathToFileURL(join(repoRoot, "dist", "src", "tools", "loadTool.js")).href)};
for (const name of ${JSON.stringify(names)}) if (!(await loadTool(name))) throw new Error("no tool " + name);`;
  const r = await nodeModules("--input-type=module", "-e", script);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(loadedTools(r.modules, await toolFiles()).sort(), [...names].sort());
  assert.deepEqual([...packagesOf(r.modules)], ["zod"]);
});

test("opening the workspace loads no git: search_datasets answers from .dw without isomorphic-git", async () => {
  const loaded = await dwModules("load_dataset", "--json", JSON.stringify({ path: "data/seattle-weather.csv" }));
  assert.equal(loaded.code, 0, loaded.stderr);
  const r = await dwModules("search_datasets");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    JSON.parse(r.stdout).datasets.some((d: { dataset_id: string }) => d.dataset_id === "seattle-weather"),
    r.stdout,
  );
  assert.ok(
    r.modules.some((u) => u.includes("/dist/src/workspace/Workspace.js")),
    "the workspace was opened",
  );
  const packages = packagesOf(r.modules);
  for (const p of HEAVY) assert.ok(!packages.has(p), `search_datasets loaded ${p}`);
});

test("a tool that writes a commit loads no isomorphic-git (dw writes the objects itself); one that reads a commit's files does, when it first touches git", async () => {
  const experiment = await dwModules("create_experiment", "--json", JSON.stringify({ name: "startup" }));
  assert.equal(experiment.code, 0, experiment.stderr);
  assert.ok(!packagesOf(experiment.modules).has("isomorphic-git"), "create_experiment loaded isomorphic-git");
  const trained = await dwModules("train_model", "--json", JSON.stringify({ dataset_id: "seattle-weather", target: "temp_max" }));
  assert.equal(trained.code, 0, trained.stderr);
  assert.ok(!packagesOf(trained.modules).has("isomorphic-git"), "train_model loaded isomorphic-git");
  // list_runs reads each run's files out of its commit: the hook sees the package require() loads.
  const listed = await dwModules("list_runs");
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout).runs.length, 1, listed.stdout);
  assert.ok(packagesOf(listed.modules).has("isomorphic-git"));
});
