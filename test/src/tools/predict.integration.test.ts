import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { runTool } from "../../../src/index.js";
import { findServer } from "../../../src/server/ensureServer.js";
import { authHeadersFor } from "../../../src/server/token.js";
import { err, ok } from "../../helpers/results.js";
import { servedWorkspace, type ServedWorkspace } from "../server/serverFixture.js";

// predict scores rows in the kernel as dw serve does: the same rows sent to the real server that
// deploy_model started must get the same predictions, and trying a model must not count as the
// endpoint's traffic (it would feed drift monitoring).

let sw: ServedWorkspace;

before(async () => {
  sw = await servedWorkspace();
});
after(async () => sw?.tw.cleanup());

/** What the running dw serve answers for these rows on `path` (e.g. temp@production). */
async function served(path: string, columns: string[], rows: unknown[][]): Promise<unknown[]> {
  const server = await findServer(sw.ctx.workspace);
  assert.ok(server, "deploy_model started dw serve");
  const res = await fetch(`${sw.base}/models/${path}/invocations`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(await authHeadersFor(server)) },
    body: JSON.stringify({ dataframe_split: { columns, data: rows } }),
  });
  const body = await res.text();
  assert.equal(res.status, 200, body);
  return (JSON.parse(body) as { predictions: unknown[] }).predictions;
}

/** Requests the server counted for an alias (get_workspace_state's traffic). */
async function requests(model: string): Promise<number> {
  const state = ok(await runTool("get_workspace_state", {}, sw.ctx));
  const ep = (state.endpoints as { model: string; traffic?: { requests: number }[] }[]).find((e) => e.model === model);
  return (ep?.traffic ?? []).reduce((n, t) => n + t.requests, 0);
}

test("without rows, predict answers the inputs, an example row and its prediction, as the endpoint scores that row", async () => {
  const o = ok(await runTool("predict", { model_id: "temp@production" }, sw.ctx));
  assert.equal(o.model, "temp");
  assert.equal(o.version, 1);
  assert.equal(o.alias, "production");
  assert.equal(o.task, "regression");
  assert.equal(o.target, "temp_max");
  assert.deepEqual(o.inputs, [
    { name: "precipitation", type: "double" },
    { name: "temp_min", type: "double" },
    { name: "wind", type: "double" },
  ]);
  assert.deepEqual(Object.keys(o.example), ["precipitation", "temp_min", "wind"]);
  assert.deepEqual(o.rows, [o.example]);
  const names = o.inputs.map((f: { name: string }) => f.name);
  assert.deepEqual(o.predictions, await served("temp@production", names, [names.map((n: string) => o.example[n])]));
});

test("given rows get the predictions the running dw serve gives, text inputs and missing values included, and are not counted as traffic", async () => {
  const rows = [
    { precipitation: 0, temp_min: 5, wind: 3, weather: "sun" },
    { precipitation: 12.5, temp_min: -2, wind: 7.1, weather: "rain" },
    { precipitation: null, temp_min: 10, wind: 1, weather: "fog" },
  ];
  const columns = ["precipitation", "temp_min", "wind", "weather"];
  const before = await requests("tw");
  const tree = ok(await runTool("predict", { model_id: "tw@production", rows }, sw.ctx));
  const linear = ok(await runTool("predict", { model_id: "temp/1", rows }, sw.ctx));
  assert.equal(await requests("tw"), before, "predict sends nothing to the server");
  assert.equal(linear.alias, undefined);
  assert.deepEqual(
    linear.rows.map((r: Record<string, unknown>) => Object.keys(r)),
    rows.map(() => ["precipitation", "temp_min", "wind"]),
    "inputs the model does not take are left out",
  );
  const data = rows.map((r) => columns.map((c) => r[c as keyof typeof r]));
  assert.deepEqual(tree.predictions, await served("tw@production", columns, data));
  assert.deepEqual(linear.predictions, await served("temp/1", columns, data));
  assert.equal(new Set(linear.predictions).size, 3, "three different rows, three different temperatures");
});

test("a bad model_id or row is an error naming what and where", async () => {
  const missing = err(
    await runTool("predict", { model_id: "temp@production", rows: [{ precipitation: 0, temp_min: 1, wind: 2 }, { precipitation: 0 }] }, sw.ctx),
  );
  assert.equal(missing.code, "INVALID_INPUT");
  assert.match(missing.message, /rows\[1\] lacks the input\(s\) 'temp_min', 'wind' of temp v1/);
  assert.match(missing.hint ?? "", /precipitation \(double\), temp_min \(double\), wind \(double\)/);
  const wrongType = err(await runTool("predict", { model_id: "temp@production", rows: [{ precipitation: "lots", temp_min: 1, wind: 2 }] }, sw.ctx));
  assert.equal(wrongType.code, "INVALID_INPUT");
  assert.match(wrongType.message, /precipitation/);
  const noAlias = err(await runTool("predict", { model_id: "temp@staging" }, sw.ctx));
  assert.equal(noAlias.code, "NOT_FOUND");
  assert.match(noAlias.message, /temp@staging names no version/);
  assert.equal(err(await runTool("predict", { model_id: "temp/7" }, sw.ctx)).code, "NOT_FOUND");
  const bare = err(await runTool("predict", { model_id: "temp" }, sw.ctx));
  assert.equal(bare.code, "INVALID_INPUT");
  assert.match(bare.hint ?? "", /name@alias/);
  const many = Array.from({ length: 101 }, () => ({ precipitation: 0, temp_min: 1, wind: 2 }));
  assert.equal(err(await runTool("predict", { model_id: "temp@production", rows: many }, sw.ctx)).code, "INVALID_INPUT");
});
