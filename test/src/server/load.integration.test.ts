import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { openWorkspace } from "../../../src/index.js";
import { loadModel, scoreModel } from "../../../src/models/scoreModel.js";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { rawRequest, servedWorkspace, type ServedWorkspace } from "./serverFixture.js";

// Concurrent load against a real dw serve, bounded in time and count (a few seconds, about a
// thousand requests): every request answered 2xx with the predictions of the model that path
// serves. How fast is bench/serving.mjs's to show; nothing here is timed.

let sw: ServedWorkspace;

before(async () => {
  sw = await servedWorkspace();
});

after(async () => {
  await sw.tw.cleanup();
});

interface LoadRequest {
  path: string;
  body: string;
  expect: unknown[];
}

interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  mismatches: number;
  problems: string[];
  maxInFlight: number;
}

/** Runs bench/lib/loadgen.mjs in its own process, as the benchmark does, with every answer checked against `expect`. */
function load(spec: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bench", "lib", "loadgen.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`the load generator exited with ${code}`))));
    child.stdin.end(JSON.stringify({ check: true, tolerance: 1e-9, warmupSeconds: 0, ...spec }));
  });
}

/**
 * Request bodies for both served models, each with the predictions its model gives, computed here
 * from the registered model.json (not asked of the server): single rows and a 25-row block, by
 * alias and by version, so an answer sent to the wrong request or scored by the wrong model shows.
 */
async function requests(): Promise<LoadRequest[]> {
  const lines = (await readFile(join(sw.tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n");
  const header = lines[0].split(",");
  const table = lines.slice(1, 201).map((l) => l.split(",").map((cell, i) => (["date", "weather"].includes(header[i]) ? cell : Number(cell))));
  const ws = await openWorkspace(sw.tw.dir);
  const out: LoadRequest[] = [];
  const models = [
    { name: "temp", columns: ["precipitation", "temp_min", "wind"] },
    { name: "tw", columns: ["precipitation", "temp_min", "wind", "weather"] },
  ];
  for (const { name, columns } of models) {
    const commit = await ws.readRef(`refs/dw/models/${name}/1`);
    const model = loadModel((await ws.readText(commit!, "model.json"))!, `${name} model.json`);
    const pick = (from: number, to: number) => table.slice(from, to).map((row) => columns.map((c) => row[header.indexOf(c)]));
    const blocks = [...Array.from({ length: 8 }, (_, i) => pick(i * 7, i * 7 + 1)), pick(100, 125)];
    for (const [i, rows] of blocks.entries()) {
      out.push({
        path: i % 2 ? `/models/${name}/1/invocations` : `/models/${name}@production/invocations`,
        body: JSON.stringify({ dataframe_split: { columns, data: rows } }),
        expect: scoreModel(model, { columns, rows }),
      });
    }
  }
  // Distinct answers, so that a mixed-up answer cannot pass by chance.
  assert.ok(new Set(out.map((r) => JSON.stringify(r.expect))).size > out.length / 2);
  return out;
}

test("at a fixed rate of 300 requests/s for 3 s, every request is answered 2xx with its own predictions", async () => {
  const r = await load({ url: sw.base, requests: await requests(), mode: "open", rate: 300, seconds: 3 });
  assert.deepEqual(r.problems, []);
  assert.equal(r.requests, 900);
  assert.equal(r.ok, 900);
  assert.equal(r.non2xx + r.errors + r.mismatches, 0);
});

test("with 16 requests in flight at all times for 2 s, every request is answered 2xx with its own predictions", async () => {
  const r = await load({ url: sw.base, requests: await requests(), mode: "closed", concurrency: 16, seconds: 2 });
  assert.deepEqual(r.problems, []);
  assert.equal(r.maxInFlight, 16);
  assert.ok(r.requests > 16);
  assert.equal(r.ok, r.requests);
  assert.equal(r.non2xx + r.errors + r.mismatches, 0);
  // Still serving afterwards.
  assert.equal((await rawRequest(sw.base, { path: "/ping" })).status, 200);
});
