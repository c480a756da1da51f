import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { runTool } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";
import { rawRequest, score, servedWorkspace, type ServedWorkspace } from "./serverFixture.js";

/*
 * Issue 13: dw serve speaks the Open Inference Protocol v2, tested with Triton's own HTTP client
 * (tritonclient[http], in .venv from requirements.txt), which sends and receives binary tensors
 * by default. Every prediction is compared with the MLflow route's for the same rows.
 */

const run = promisify(execFile);
const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
const client = join(repoRoot, "test", "src", "server", "oipClient.py");

let sw: ServedWorkspace;
/** host:port, as tritonclient takes it. */
let hostPort: string;
/** Rows of the Seattle weather data (the first 40), by column. */
let rows: Record<string, unknown[]>;

before(async () => {
  sw = await servedWorkspace();
  hostPort = new URL(sw.base).host;
  const csv = await readFile(join(sw.tw.dir, "data", "seattle-weather.csv"), "utf8");
  const lines = csv.trim().split("\n");
  const header = lines[0].split(",");
  const body = lines.slice(1).map((l) => l.split(","));
  rows = Object.fromEntries(header.map((h, j) => [h, body.slice(0, 40).map((r) => (h === "weather" || h === "date" ? r[j] : Number(r[j])))]));
  // Classifiers with text, whole-number and boolean labels, from the same rows.
  const codes: Record<string, number> = { drizzle: 0, rain: 1, sun: 2, snow: 3, fog: 4 };
  const labelled = ["temp_max,temp_min,wind,weather,code,wet", ...body.map((r) => `${r[2]},${r[3]},${r[4]},${r[5]},${codes[r[5]]},${Number(r[1]) > 0}`)];
  await writeFile(join(sw.tw.dir, "data", "labels.csv"), labelled.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/labels.csv", dataset_id: "labels" }, sw.ctx));
  const features = ["temp_max", "temp_min", "wind"];
  for (const [name, target] of [
    ["kind", "weather"],
    ["code", "code"],
    ["wet", "wet"],
  ] as const) {
    const trained = ok(
      await runTool(
        "train_model",
        { dataset_id: "labels", target, features, algorithm: "decision_tree", task: "classification", hyperparameters: { max_depth: 4 } },
        sw.ctx,
      ),
    );
    ok(await runTool("register_model", { model_id: trained.run_id, model_name: name }, sw.ctx));
    ok(await runTool("deploy_model", { model_name: name, alias: "production" }, sw.ctx));
  }
});

after(async () => {
  await sw.tw.cleanup();
});

/** Runs calls with tritonclient (see oipClient.py) and returns its answers. */
async function triton(calls: Record<string, unknown>[]): Promise<any[]> {
  const dir = await mkdtemp(join(tmpdir(), "dw-oip-"));
  try {
    await writeFile(join(dir, "calls.json"), JSON.stringify(calls));
    const { stdout } = await run(python, [client, hostPort, join(dir, "calls.json")], { maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as any[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The MLflow route's predictions for the given columns of `rows`. */
async function mlflow(model: string, columns: string[]): Promise<unknown[]> {
  const data = rows[columns[0]].map((_, i) => columns.map((c) => rows[c][i]));
  const r = await score(sw.base, `/models/${model}@production/invocations`, { dataframe_split: { columns, data } });
  assert.equal(r.status, 200, r.text);
  return r.json.predictions;
}

const column = (name: string, datatype: string, binary = true, values: unknown[] = rows[name]) => ({
  name,
  datatype,
  shape: [values.length],
  data: values,
  binary,
});

test("health, server metadata, model metadata and readiness, as tritonclient reads them", async () => {
  const [live, ready, server, meta, pinned, kind, modelReady, aliasReady, missing, missingMeta] = await triton([
    { op: "live" },
    { op: "ready" },
    { op: "server_metadata" },
    { op: "model_metadata", model: "tw" },
    { op: "model_metadata", model: "temp", version: "1" },
    { op: "model_metadata", model: "kind" },
    { op: "model_ready", model: "temp" },
    { op: "model_ready", model: "temp@production" },
    { op: "model_ready", model: "nosuchmodel" },
    { op: "model_metadata", model: "nosuchmodel" },
  ]);
  assert.deepEqual(live, { live: true });
  assert.deepEqual(ready, { ready: true });
  assert.equal(server.name, "dw");
  assert.match(server.version, /^\d+\.\d+\.\d+/);
  assert.ok(server.extensions.includes("binary_tensor_data"));
  assert.deepEqual(meta, {
    name: "tw",
    versions: ["1"],
    platform: "dw_decision_tree",
    inputs: [
      { name: "precipitation", datatype: "FP64", shape: [-1] },
      { name: "temp_min", datatype: "FP64", shape: [-1] },
      { name: "wind", datatype: "FP64", shape: [-1] },
      { name: "weather", datatype: "BYTES", shape: [-1] },
    ],
    outputs: [{ name: "predict", datatype: "FP64", shape: [-1] }],
  });
  assert.equal(pinned.name, "temp");
  assert.deepEqual(pinned.versions, ["1"]);
  assert.deepEqual(kind.outputs, [{ name: "predict", datatype: "BYTES", shape: [-1] }]);
  assert.deepEqual(modelReady, { ready: true });
  assert.deepEqual(aliasReady, { ready: true });
  assert.deepEqual(missing, { ready: false });
  assert.equal(missingMeta.status, "404");
  assert.match(missingMeta.error, /No deployed model is served at this path/);
});

test("regression: per-column tensors and one 2-D tensor, binary and JSON, give the MLflow route's predictions", async () => {
  const columns = ["precipitation", "temp_min", "wind"];
  const expected = await mlflow("temp", columns);
  const n = expected.length;
  const matrix = rows.precipitation.flatMap((_, i) => columns.map((c) => rows[c][i]));
  const answers = await triton([
    // tritonclient's defaults: binary inputs, no outputs named, so binary_data_output
    { op: "infer", model: "temp", inputs: columns.map((c) => column(c, "FP64")) },
    // JSON both ways, by the pinned version, with an id
    {
      op: "infer",
      model: "temp",
      version: "1",
      id: "req-7",
      inputs: columns.map((c) => column(c, "FP64", false)),
      outputs: [{ name: "predict", binary: false }],
    },
    // one 2-D tensor [n, 3] whose columns are the inputs in signature order, JSON in and binary out
    { op: "infer", model: "temp@production", inputs: [{ name: "input-0", datatype: "FP64", shape: [n, 3], data: matrix, binary: false }] },
    // the same matrix in the binary tensor extension
    { op: "infer", model: "temp", inputs: [{ name: "x", datatype: "FP64", shape: [n, 3], data: matrix }] },
  ]);
  for (const a of answers) {
    assert.equal(a.error, undefined, a.error);
    assert.deepEqual(a.outputs.predict.shape, [n]);
    assert.equal(a.outputs.predict.datatype, "FP64");
    assert.deepEqual(a.outputs.predict.data, expected);
  }
  assert.equal(answers[0].model_name, "temp");
  assert.equal(answers[0].model_version, "1");
  assert.equal(answers[0].outputs.predict.binary, true);
  assert.equal(answers[1].outputs.predict.binary, false);
  assert.equal(answers[1].id, "req-7");
  assert.equal(answers[2].model_name, "temp@production");
});

test("integer, FP32 and [n, 1] tensors are cast as the MLflow route casts JSON numbers", async () => {
  const whole = rows.temp_min.map((v) => Math.round(v as number));
  const quarter = rows.wind.map((v) => Math.round((v as number) * 4) / 4); // exact in FP32 and FP16
  const expected = await score(sw.base, "/models/temp@production/invocations", {
    dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: whole.map((t, i) => [rows.precipitation[i], t, quarter[i]]) },
  });
  const n = whole.length;
  const answers = await triton([
    {
      op: "infer",
      model: "temp",
      inputs: [column("precipitation", "FP64"), column("temp_min", "INT32", true, whole), { ...column("wind", "FP32", true, quarter), shape: [n, 1] }],
    },
    {
      op: "infer",
      model: "temp",
      inputs: [column("precipitation", "FP64", false), column("temp_min", "INT64", false, whole), column("wind", "FP16", true, quarter)],
    },
  ]);
  for (const a of answers) assert.deepEqual(a.outputs?.predict.data, expected.json.predictions, JSON.stringify(a));
});

test("text inputs as BYTES, per column and in one 2-D BYTES tensor, and extra tensors named in Dw-Ignored-Columns", async () => {
  const columns = ["precipitation", "temp_min", "wind", "weather"];
  const expected = await mlflow("tw", columns);
  const n = expected.length;
  const asText = rows.precipitation.flatMap((_, i) => columns.map((c) => String(rows[c][i])));
  const answers = await triton([
    { op: "infer", model: "tw", inputs: [...columns.slice(0, 3).map((c) => column(c, "FP64")), column("weather", "BYTES")] },
    { op: "infer", model: "tw", inputs: [...columns.slice(0, 3).map((c) => column(c, "FP64", false)), column("weather", "BYTES", false)] },
    { op: "infer", model: "tw", inputs: [{ name: "rows", datatype: "BYTES", shape: [n, 4], data: asText }] },
  ]);
  for (const a of answers) assert.deepEqual(a.outputs?.predict.data, expected, JSON.stringify(a));

  const body = {
    inputs: [
      ...columns.map((c) => ({ name: c, datatype: c === "weather" ? "BYTES" : "FP64", shape: [n], data: rows[c] })),
      { name: "date", datatype: "BYTES", shape: [n], data: rows.date },
      { name: "note, with a comma", datatype: "BOOL", shape: [1], data: [true] },
    ],
  };
  const r = await rawRequest(sw.base, {
    method: "POST",
    path: "/v2/models/tw/infer",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(JSON.parse(r.body).outputs[0].data, expected);
  assert.equal(r.headers["dw-ignored-columns"], "2 (inputs[4], inputs[5])");
});

test("classifiers answer with their labels: BYTES for text, INT64 for whole numbers, BOOL for booleans", async () => {
  const features = ["temp_max", "temp_min", "wind"];
  for (const [model, datatype] of [
    ["kind", "BYTES"],
    ["code", "INT64"],
    ["wet", "BOOL"],
  ] as const) {
    const expected = await mlflow(model, features);
    assert.ok(new Set(expected).size > 1, `${model}: the rows get more than one label`);
    const [binary, json] = await triton([
      { op: "infer", model, inputs: features.map((c) => column(c, "FP64")) },
      { op: "infer", model, inputs: features.map((c) => column(c, "FP64", false)), outputs: [{ name: "predict", binary: false }] },
    ]);
    for (const a of [binary, json]) {
      assert.equal(a.outputs?.predict.datatype, datatype, JSON.stringify(a));
      assert.deepEqual(a.outputs.predict.data, expected);
    }
  }
});

test("errors reach tritonclient as its exceptions with dw's message, and the server keeps serving", async () => {
  const n = rows.wind.length;
  const answers = await triton([
    { op: "infer", model: "temp", inputs: [column("precipitation", "FP64"), column("temp_min", "FP64")] },
    { op: "infer", model: "temp", inputs: [{ name: "m", datatype: "FP64", shape: [n, 2], data: rows.wind.concat(rows.wind) }] },
    {
      op: "infer",
      model: "temp",
      inputs: [
        column("precipitation", "FP64"),
        column("temp_min", "FP64"),
        column(
          "wind",
          "BOOL",
          true,
          rows.wind.map((w) => (w as number) > 3),
        ),
      ],
    },
    { op: "infer", model: "nosuchmodel", inputs: [column("wind", "FP64")] },
    { op: "infer", model: "temp", version: "9", inputs: [column("wind", "FP64")] },
    { op: "infer", model: "temp", inputs: [column("precipitation", "FP64"), column("temp_min", "FP64"), column("wind", "FP64")], outputs: [{ name: "proba" }] },
    { op: "infer", model: "temp", inputs: [column("precipitation", "FP64"), column("temp_min", "FP64"), column("wind", "FP64")] },
  ]);
  assert.deepEqual(
    answers.slice(0, 6).map((a) => a.status),
    ["400", "400", "400", "404", "404", "400"],
  );
  assert.match(answers[0].error, /Missing column\(s\) 'wind'/);
  assert.match(answers[1].error, /2-D tensor \[n, 3\]/);
  assert.match(answers[2].error, /column 'wind'.*boolean/);
  assert.match(answers[5].error, /outputs\[0\]\.name is not an output of this model/);
  assert.equal(answers[6].outputs.predict.shape[0], n);
});

test("model metadata lists every version served at its pinned path, and only those", async () => {
  // v2 and v3 of temp: v2 deployed to staging (so served pinned), v3 only registered (never gated).
  const v2 = ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "temp" }, sw.ctx)).version;
  ok(await runTool("deploy_model", { model_name: "temp", version: v2, alias: "staging" }, sw.ctx));
  const v3 = ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "temp" }, sw.ctx)).version;
  const [meta, staging, unserved] = await triton([
    { op: "model_metadata", model: "temp" },
    { op: "model_metadata", model: "temp@staging" },
    { op: "model_metadata", model: "temp", version: String(v3) },
  ]);
  assert.deepEqual(meta.versions, ["1", String(v2)]);
  assert.deepEqual(staging.versions, ["1", String(v2)]);
  assert.equal(unserved.status, "404");
});
