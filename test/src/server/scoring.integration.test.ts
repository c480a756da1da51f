import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool } from "../../../src/index.js";

let tw: TempWorkspace;
let server: ChildProcess;
let base: string;

/** Trains and registers a model with the tools, then starts a real `dw serve` process on it. */
before(async () => {
  tw = await makeTempWorkspace();
  const ctx = await createToolContext({ cwd: tw.dir });
  await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx);
  const run = await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"] }, ctx);
  assert.ok(run.ok);
  const reg = await runTool("register_model", { model_id: run.output.run_id, model_name: "temp", alias: "production" }, ctx);
  assert.ok(reg.ok);
  server = spawn(process.execPath, [join(repoRoot, "bin", "dw.js"), "serve", "--workspace", tw.dir], { stdio: ["ignore", "pipe", "pipe"] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    server.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`dw serve exited with ${code}`)));
  });
  base = line;
  const info = JSON.parse(await readFile(join(tw.dir, ".dw", "server.json"), "utf8"));
  assert.equal(info.url, base);
  assert.equal(info.pid, server.pid);
});

after(async () => {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  await tw.cleanup();
});

const post = (path: string, body: string, type = "application/json") => fetch(base + path, { method: "POST", headers: { "Content-Type": type }, body });

test("health, ping and version answer as mlflow models serve does", async () => {
  for (const p of ["/ping", "/health"]) {
    const r = await fetch(base + p);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), "\n");
  }
  assert.match(await (await fetch(base + "/version")).text(), /^\d+\.\d+\.\d+/);
});

test("dataframe_split and dataframe_records give the same predictions, by alias and by version", async () => {
  const split = await post(
    "/models/temp@production/invocations",
    JSON.stringify({ dataframe_split: { columns: ["wind", "temp_min", "precipitation"], data: [[4.7, 5.0, 0.0]] } }),
  );
  assert.equal(split.status, 200);
  assert.match(split.headers.get("content-type")!, /application\/json/);
  const a = (await split.json()) as { predictions: number[] };
  const records = await post(
    "/models/temp/1/invocations",
    JSON.stringify({ dataframe_records: [{ precipitation: 0.0, temp_min: 5.0, wind: 4.7, extra: "ignored" }] }),
  );
  const b = (await records.json()) as { predictions: number[] };
  assert.equal(a.predictions.length, 1);
  assert.deepEqual(a, b);
  const charset = await post(
    "/models/temp@production/invocations",
    JSON.stringify({ dataframe_records: [{ precipitation: 0, temp_min: 5, wind: 4.7 }] }),
    "application/json; charset=utf-8",
  );
  assert.equal(charset.status, 200);
});

test("malformed requests get 400 BAD_REQUEST with a message, never a stack trace or the data", async () => {
  const cases: [string, RegExp][] = [
    ["{not json", /not valid JSON/],
    ["[1, 2]", /exactly one of the fields/],
    ["{}", /found none/],
    [JSON.stringify({ dataframe_split: { columns: ["a"], data: [[1]] }, dataframe_records: [] }), /found dataframe_split and dataframe_records/],
    [JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min"], data: [[1, 2]] } }), /Missing column\(s\) 'wind'/],
    [JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[1, 2]] } }), /data\[0\] must be a list of 3 values/],
    [
      JSON.stringify({ dataframe_records: [{ precipitation: "secret-value", temp_min: 1, wind: 2 }] }),
      /Row 0, column 'precipitation': expected a finite number/,
    ],
    [JSON.stringify({ instances: [[1, 2, 3]] }), /rows by position are not accepted/],
  ];
  for (const [body, message] of cases) {
    const r = await post("/models/temp@production/invocations", body);
    assert.equal(r.status, 400, body);
    const json = (await r.json()) as { error_code: string; message: string };
    assert.equal(json.error_code, "BAD_REQUEST");
    assert.match(json.message, message);
    assert.doesNotMatch(JSON.stringify(json), /secret-value|at .*\.js:\d+/);
  }
  // The server keeps serving.
  assert.equal((await fetch(base + "/ping")).status, 200);
});

test("unsupported content types get 415; unknown models and routes get 404", async () => {
  const csv = await post("/models/temp@production/invocations", "precipitation,temp_min,wind\n0,5,4.7\n", "text/plain");
  assert.equal(csv.status, 415);
  assert.equal(((await csv.json()) as { error_code: string }).error_code, "BAD_REQUEST");
  const latin = await post("/models/temp@production/invocations", "{}", "application/json; charset=latin-1");
  assert.equal(latin.status, 415);
  const missing = await post("/models/nope@production/invocations", JSON.stringify({ dataframe_records: [] }));
  assert.equal(missing.status, 404);
  // The answer says nothing is served there, without repeating the path the client sent.
  const missingMessage = ((await missing.json()) as { message: string }).message;
  assert.match(missingMessage, /No deployed model is served at this path/);
  assert.doesNotMatch(missingMessage, /nope/);
  assert.equal((await fetch(base + "/nowhere")).status, 404);
});

test("a second server for the same workspace refuses to start", async () => {
  const second = spawn(process.execPath, [join(repoRoot, "bin", "dw.js"), "serve", "--workspace", tw.dir], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  second.stderr!.on("data", (d: Buffer) => (err += d));
  const code = await new Promise((r) => second.on("exit", r));
  assert.equal(code, 1);
  assert.match(err, /already runs for this workspace/);
});
