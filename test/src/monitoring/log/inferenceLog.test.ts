import { test, after } from "node:test";
import assert from "node:assert/strict";
import { appendFile, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { openWorkspace } from "../../../../src/workspace/Workspace.js";
import { columnarInput } from "../../../../src/models/scoreModel.js";
import { createInferenceLog, type InferenceEntry } from "../../../../src/monitoring/log/createInferenceLog.js";
import { readFeedback, readInferenceWindow } from "../../../../src/monitoring/log/readInferenceLog.js";
import { requestsLogDir } from "../../../../src/monitoring/log/logPaths.js";
import { createRateSampler } from "../../../../src/monitoring/log/createRateSampler.js";

// The writer and readers on their own, in this process; the server's use of them (real HTTP, kill
// -9, several workers, PII from a real training) is test/src/server/inferenceLog*.integration.test.ts.

const workspaces: TempWorkspace[] = [];
after(() => Promise.all(workspaces.map((w) => w.cleanup())));

async function workspace(policy?: string) {
  const tw = await makeTempWorkspace();
  workspaces.push(tw);
  if (policy) await writeFile(join(tw.dir, "dw.policy.yaml"), policy);
  return openWorkspace(tw.dir);
}

function entry(i: number, rows = 1, t = Date.now()): InferenceEntry {
  const data = Array.from({ length: rows }, (_, r) => [i + r / 10, `c${r}`, r % 2 === 0]);
  return {
    name: "m",
    alias: "production",
    version: 2,
    runId: "not-a-run",
    requestId: `req-${i}`,
    t,
    ms: 0.25,
    columns: ["a", "b", "c"],
    input: columnarInput({ columns: ["a", "b", "c", "ignored"], rows: data.map((r) => [...r, "x"]) }),
    predictions: data.map((r) => (r[0] as number) * 2),
  };
}

test("records are written in batches, one line per row, and read back in time order", async () => {
  const ws = await workspace("monitoring:\n  log:\n    flush_ms: 20\n");
  const log = createInferenceLog(ws, { report: () => undefined });
  const t0 = Date.now();
  log.record(entry(1, 1, t0));
  log.record(entry(2, 3, t0 + 1));
  log.record({ ...entry(3, 1, t0 + 2), input: undefined, predictions: undefined, err: "BAD_REQUEST" });
  // Written by the flush timer, without a close (the first batch waits for the policy to be read).
  await new Promise((r) => setTimeout(r, 500));
  const { records, torn, damaged, files, sampled } = await readInferenceWindow(ws.root, "m", "production");
  assert.equal(files, 1);
  assert.equal(torn + damaged, 0);
  assert.equal(sampled, false);
  assert.deepEqual(
    records.map((r) => [r.id, r.row]),
    [
      ["req-1", 0],
      ["req-2", 0],
      ["req-2", 1],
      ["req-2", 2],
      ["req-3", 0],
    ],
  );
  assert.deepEqual(records[2], { t: t0 + 1, id: "req-2", row: 1, v: 2, x: { a: 2.1, b: "c1", c: false }, y: 4.2, ms: 0.25 });
  assert.deepEqual(records[4], { t: t0 + 2, id: "req-3", row: 0, v: 2, x: {}, y: null, ms: 0.25, err: "BAD_REQUEST" });
  const last2 = await readInferenceWindow(ws.root, "m", "production", { last: 2 });
  assert.deepEqual(
    last2.records.map((r) => r.id),
    ["req-2", "req-3"],
  );
  assert.equal((await readInferenceWindow(ws.root, "m", "production", { since: t0 + 1, until: t0 + 2 })).records.length, 3);
  await log.close();
});

test("a torn tail and a damaged line are skipped and counted; a missing log is an empty window", async () => {
  const ws = await workspace();
  assert.deepEqual((await readInferenceWindow(ws.root, "none", "production")).records, []);
  assert.equal((await readFeedback(ws.root, "none", "production")).size, 0);
  const log = createInferenceLog(ws, { report: () => undefined });
  log.record(entry(1));
  log.record(entry(2));
  await log.close();
  const dir = requestsLogDir(ws.root, "m", "production");
  const [file] = await readdir(dir);
  await appendFile(join(dir, file), 'not json\n{"t":1,"id":"x"}\n{"t":5,"id":"torn","row":0,"v":1,"x":{"a"');
  const w = await readInferenceWindow(ws.root, "m", "production");
  assert.deepEqual(
    w.records.map((r) => r.id),
    ["req-1", "req-2"],
  );
  assert.equal(w.torn, 1);
  assert.equal(w.damaged, 2);
});

test("files rotate past file_mb and the oldest are deleted past max_mb", async () => {
  // 0.002 MiB = 2 KiB per file, 0.008 MiB = 8 KiB per deployment.
  const ws = await workspace("monitoring:\n  log:\n    flush_ms: 5\n    file_mb: 0.002\n    max_mb: 0.008\n");
  const log = createInferenceLog(ws, { report: () => undefined });
  const t0 = Date.now();
  for (let i = 0; i < 200; i++) {
    log.record(entry(i, 1, t0 + i));
    if (i % 10 === 9) await log.flush();
  }
  await log.close();
  const dir = requestsLogDir(ws.root, "m", "production");
  const names = await readdir(dir);
  const sizes = await Promise.all(names.map(async (n) => (await stat(join(dir, n))).size));
  assert.ok(names.length >= 3, `several files: ${names.join(", ")}`);
  assert.ok(
    sizes.every((s) => s <= 2048 + 2048),
    `each file near 2 KiB: ${sizes.join(", ")}`,
  );
  assert.ok(sizes.reduce((a, b) => a + b, 0) <= 8192 + 2048, `the folder near 8 KiB: ${sizes.join(", ")}`);
  for (const n of names) assert.match(n, new RegExp(`^${process.pid}-\\d+-\\d+\\.ndjson$`));
  const w = await readInferenceWindow(ws.root, "m", "production");
  // The newest survive, with nothing missing among them.
  const ids = w.records.map((r) => Number(r.id.slice(4)));
  assert.equal(ids.at(-1), 199);
  assert.deepEqual(
    ids,
    Array.from({ length: ids.length }, (_, k) => 200 - ids.length + k),
  );
  assert.ok(ids.length < 200);
  const last10 = await readInferenceWindow(ws.root, "m", "production", { last: 10 });
  assert.deepEqual(
    last10.records.map((r) => Number(r.id.slice(4))),
    ids.slice(-10),
  );
  assert.ok(last10.files < names.length, "the newest files suffice for the last 10");
});

test("feedback: one line per label, the later label for a row wins", async () => {
  const ws = await workspace();
  const log = createInferenceLog(ws, { report: () => undefined });
  assert.equal(await log.feedback("m", "production", [{ request_id: "r1", row: 0, label: "yes" }]), true);
  await new Promise((r) => setTimeout(r, 5));
  await log.feedback("m", "production", [
    { request_id: "r1", row: 0, label: "no" },
    { request_id: "r2", row: 3, label: 4.5 },
  ]);
  await log.close();
  const labels = await readFeedback(ws.root, "m", "production");
  assert.deepEqual(
    [...labels].map(([k, v]) => [k, v.label]),
    [
      ["r1:0", "no"],
      ["r2:3", 4.5],
    ],
  );
  const text = await readFile(
    join(ws.root, ".dw", "monitoring", "m", "production", "feedback", (await readdir(join(ws.root, ".dw", "monitoring", "m", "production", "feedback")))[0]),
    "utf8",
  );
  assert.equal(text.split("\n").length, 4);
});

test("the sampler keeps about rate() requests a second, each kept one saying how many it stands for", () => {
  const s = createRateSampler(() => 10);
  // A burst after a quiet second: every request up to the rate, then one in two.
  const first = Array.from({ length: 30 }, () => s.weight(1_000_500));
  assert.deepEqual(first.slice(0, 10), Array(10).fill(1));
  assert.deepEqual(
    first.slice(10).filter((w) => w > 0),
    Array(10).fill(2),
  );
  // The next second: one in 3 (last second's 30 over 10) from its start.
  const next = Array.from({ length: 40 }, () => s.weight(1_001_100));
  assert.deepEqual(
    next.filter((w) => w > 0),
    Array(13).fill(3),
  );
  // Weights sum to about the real count, and a quiet second logs everything again.
  assert.equal(
    [...first, ...next].reduce((a, b) => a + b, 0),
    30 + 39,
  );
  s.weight(1_002_000);
  assert.deepEqual(
    Array.from({ length: 5 }, () => s.weight(1_003_000)),
    Array(5).fill(1),
  );
});
