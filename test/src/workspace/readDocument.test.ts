import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDatasetRecord } from "../../../src/data/datasetRecords.js";
import { DwError } from "../../../src/errors/DwError.js";
import { Registration } from "../../../src/registry/readRegistry.js";
import { readMetricsLog } from "../../../src/runs/readMetricsLog.js";
import { readRun } from "../../../src/runs/readRun.js";
import { RunRecord } from "../../../src/runs/RunRecord.js";
import { nullIfDamaged } from "../../../src/workspace/parseDocument.js";
import { openWorkspace } from "../../../src/workspace/Workspace.js";

const dir = await mkdtemp(join(tmpdir(), "dw-doc-"));
const ws = await openWorkspace(dir);
test.after(() => rm(dir, { recursive: true, force: true }));

const RUN_ID = "20260101-000000-abcdef";
const RUN_REF = `refs/dw/runs/${RUN_ID}`;
const run = {
  run_id: RUN_ID,
  tool: "train_model",
  created_at: "2026-01-01T00:00:00.000Z",
  algorithm: "linear_regression",
  task: "regression",
  target: "y",
  features: ["a", "b"],
  parameters: {
    dataset_id: "d",
    target: "y",
    features: ["a", "b"],
    algorithm: "linear_regression",
    task: "regression",
    hyperparameters: {},
    test_size: 0.2,
    cv_folds: null,
    seed: 42,
  },
  metrics: { r2: 0.5 },
  timings: { total_s: 1 },
  data: {
    dataset_id: "d",
    source: "d.csv",
    sha256: "0".repeat(64),
    size_bytes: 10,
    rows: 3,
    rows_used: 3,
    columns: [
      { name: "a", type: "number", nulls: 0 },
      { name: "b", type: "number", nulls: 0 },
    ],
  },
  origin: { via: "api", has_cell: false },
};
const registration = { model_name: "m", version: 1, run_id: RUN_ID, run_commit: "1".repeat(40), registered_at: "2026-01-01T00:00:01.000Z" };

/** A commit under `ref` holding these files, as a push or a hand edit would leave it. */
const commitFiles = (ref: string, files: Record<string, string>) => ws.commit({ ref, message: "test", files });

/** Checks a DATA_ERROR: its message, the field in details, and a hint that shows how to look at the file. */
function damaged(message: RegExp, field: string | undefined, file: string) {
  return (e: unknown) => {
    assert.ok(e instanceof DwError, String(e));
    assert.equal(e.code, "DATA_ERROR");
    assert.match(e.message, message);
    assert.equal(e.details?.field, field);
    assert.equal(e.details?.file, file);
    assert.match(e.hint ?? "", new RegExp(`git show [0-9a-f]{12}:${file.replace(".", "\\.")}`));
    return true;
  };
}

test("a valid document is read as its schema's typed value, keys in the order written; an absent one is null", async () => {
  const oid = await commitFiles("refs/dw/models/m/1", { "registration.json": JSON.stringify(registration), "run.json": JSON.stringify(run) });
  const reg = await ws.readDocument(Registration, oid, "registration.json", "refs/dw/models/m/1");
  assert.ok(reg);
  assert.deepEqual(reg, registration);
  assert.equal(reg.version + 1, 2);
  const read = await ws.readDocument(RunRecord, oid, "run.json", "refs/dw/models/m/1");
  assert.equal(JSON.stringify(read), JSON.stringify(run));
  assert.equal(await ws.readDocument(Registration, oid, "deployment.json", "refs/dw/models/m/1"), null);
});

test("a document that fails its schema is a DATA_ERROR naming the ref, the file, the field and the value found", async () => {
  const ref = "refs/dw/models/m/2";
  const oid = await commitFiles(ref, {
    "registration.json": JSON.stringify({ ...registration, version: "2" }),
    "run.json": JSON.stringify({ ...run, data: { ...run.data, columns: [run.data.columns[0], { name: "b", type: "number" }] } }),
    "broken.json": "{ not json",
  });
  await assert.rejects(
    ws.readDocument(Registration, oid, "registration.json", ref),
    damaged(/^The ref refs\/dw\/models\/m\/2 is damaged: registration\.json, field version: .*number.* \(got "2"\)\.$/, "version", "registration.json"),
  );
  await assert.rejects(
    ws.readDocument(RunRecord, oid, "run.json", ref),
    damaged(/^The ref refs\/dw\/models\/m\/2 is damaged: run\.json, field data\.columns\[1\]\.nulls: /, "data.columns[1].nulls", "run.json"),
  );
  await assert.rejects(
    ws.readDocument(Registration, oid, "broken.json", ref),
    damaged(/^The ref refs\/dw\/models\/m\/2 is damaged: broken\.json is not JSON/, undefined, "broken.json"),
  );
  // Without a ref, the commit is named.
  await assert.rejects(
    ws.readDocument(Registration, oid, "registration.json"),
    damaged(new RegExp(`^Commit ${oid.slice(0, 12)} is damaged: registration\\.json, field version`), "version", "registration.json"),
  );
  // A listing that leaves damaged documents out gets null for them, and every other error still.
  assert.equal(await ws.readDocument(Registration, oid, "registration.json", ref).catch(nullIfDamaged), null);
  const io = new Error("EIO");
  assert.throws(() => nullIfDamaged(io), io);
  const missing = new DwError("NOT_FOUND", "no such run");
  assert.throws(() => nullIfDamaged(missing), missing);
});

test("readers of runs and datasets name the damaged ref or file and the field", async () => {
  await commitFiles(RUN_REF, {
    "run.json": JSON.stringify({ ...run, metrics: { r2: "high" } }),
    "metrics_log.jsonl": '{"key":"loss","value":1,"step":0,"timestamp":"t"}\n{"key":"loss"}\n',
  });
  await assert.rejects(
    readRun(ws, RUN_ID),
    damaged(/^The ref refs\/dw\/runs\/20260101-000000-abcdef is damaged: run\.json, field metrics\.r2: /, "metrics.r2", "run.json"),
  );
  const oid = (await ws.readRef(RUN_REF))!;
  await assert.rejects(
    readMetricsLog(ws, oid, RUN_REF),
    damaged(/^The ref refs\/dw\/runs\/20260101-000000-abcdef is damaged: metrics_log\.jsonl, line 2, field value: /, "value", "metrics_log.jsonl"),
  );
  await mkdir(join(ws.dwDir, "datasets"), { recursive: true });
  await writeFile(join(ws.dwDir, "datasets", "d.json"), JSON.stringify({ dataset_id: "d", source: "d.csv", format: "xlsx" }));
  await assert.rejects(readDatasetRecord(ws, "d"), (e: unknown) => {
    assert.ok(e instanceof DwError);
    assert.equal(e.code, "DATA_ERROR");
    assert.match(e.message, /^The record of dataset 'd' is damaged: \.dw\/datasets\/d\.json, field format: .* \(got "xlsx"\)\.$/);
    assert.match(e.hint ?? "", /load_dataset/);
    return true;
  });
  // The damaged ref is a plain git commit: git itself reads it.
  assert.match(execFileSync("git", ["show", `${RUN_REF}:run.json`], { cwd: dir, encoding: "utf8" }), /"high"/);
});
