import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { appendFile, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { TempWorkspace } from "../../helpers/tempWorkspace.js";
import { readInferenceWindow } from "../../../src/monitoring/log/readInferenceLog.js";
import { requestsLogDir } from "../../../src/monitoring/log/logPaths.js";
import { keyedHash } from "../../../src/monitoring/log/inferenceLines.js";
import { MONITORING_KEY_FILE } from "../../../src/monitoring/log/monitoringKey.js";
import { startServe, type ServeProcess } from "./serveProcess.js";
import { TEMP, loggedWorkspace, post, tempRows, windowWhen, writePolicy } from "./inferenceLogFixture.js";

// dw serve's inference log (src/monitoring/log/): real `dw serve` processes, real HTTP, the log
// read back with the readers the drift checks use.

let tw: TempWorkspace;
let runs: Record<string, string>;
let server: ServeProcess | null = null;
before(async () => {
  ({ tw, runs } = await loggedWorkspace({ pii: true }));
});
after(async () => {
  await server?.stop();
  await tw.cleanup();
});

/** (Re)starts the workspace's dw serve, one process, with `monitoring` as the policy's monitoring: block. */
async function restart(monitoring: string): Promise<ServeProcess> {
  await server?.stop();
  await writePolicy(tw.dir, monitoring);
  server = await startServe(tw.dir, ["--workers", "1"]);
  return server;
}

test("every answer carries its request id and version, and each scored row is logged with them", { timeout: 120_000 }, async () => {
  const s = await restart("  log:\n    flush_ms: 50\n");
  const one = await post(s.base, TEMP, tempRows([[0, 5, 4.7]]), { "X-Request-Id": "client-id:1" });
  assert.equal(one.status, 200, one.body);
  assert.equal(one.headers["x-request-id"], "client-id:1");
  assert.equal(one.headers["x-dw-version"], "1");
  const three = await post(
    s.base,
    TEMP,
    tempRows([
      [1, 2, 3],
      [0, -1, 8.5],
      [2.5, 10, 1],
    ]),
    { "X-Request-Id": "bad id with spaces" },
  );
  assert.equal(three.status, 200, three.body);
  const generated = String(three.headers["x-request-id"]);
  assert.match(generated, /^[0-9a-f-]{36}$/, "an invalid client id is replaced by a new one");
  // The Open Inference Protocol's answers carry them too.
  const oip = await post(s.base, "/v2/models/temp@production/infer", {
    inputs: [
      { name: "precipitation", datatype: "FP64", shape: [1], data: [0.5] },
      { name: "temp_min", datatype: "FP64", shape: [1], data: [7] },
      { name: "wind", datatype: "FP64", shape: [1], data: [2] },
    ],
  });
  assert.equal(oip.status, 200, oip.body);
  assert.equal(oip.headers["x-dw-version"], "1");
  const oipId = String(oip.headers["x-request-id"]);
  // Scoring that fails after the model was chosen: one err line; before it (no such model): none.
  const failed = await post(s.base, TEMP, { dataframe_split: { columns: ["precipitation"], data: [[1]] } }, { "X-Request-Id": "fails" });
  assert.equal(failed.status, 400);
  assert.equal(failed.headers["x-request-id"], "fails");
  assert.equal(failed.headers["x-dw-version"], "1");
  assert.equal((await post(s.base, "/models/nothing@production/invocations", tempRows([[0, 5, 4.7]]))).status, 404);
  // A pinned version is not a deployment: not logged.
  const pinned = await post(s.base, "/models/temp/1/invocations", tempRows([[9, 9, 9]]), { "X-Request-Id": "pinned" });
  assert.equal(pinned.status, 200, pinned.body);
  assert.equal(pinned.headers["x-dw-version"], "1");

  const w = await windowWhen(tw.dir, "temp", (w) => w.records.length >= 6, "six records");
  assert.equal(w.torn + w.damaged, 0);
  const byId = (id: string) => w.records.filter((r) => r.id === id);
  assert.deepEqual(
    byId("client-id:1").map((r) => [r.row, r.v, r.x, r.y]),
    [[0, 1, { precipitation: 0, temp_min: 5, wind: 4.7 }, one.json.predictions[0]]],
  );
  assert.deepEqual(
    byId(generated).map((r) => [r.row, r.x, r.y]),
    [
      [0, { precipitation: 1, temp_min: 2, wind: 3 }, three.json.predictions[0]],
      [1, { precipitation: 0, temp_min: -1, wind: 8.5 }, three.json.predictions[1]],
      [2, { precipitation: 2.5, temp_min: 10, wind: 1 }, three.json.predictions[2]],
    ],
  );
  assert.deepEqual(
    byId(oipId).map((r) => [r.x, r.y]),
    [[{ precipitation: 0.5, temp_min: 7, wind: 2 }, oip.json.outputs[0].data[0]]],
  );
  const [err] = byId("fails");
  assert.equal(err.err, "BAD_REQUEST");
  assert.deepEqual([err.x, err.y, err.v], [{}, null, 1]);
  assert.equal(byId("pinned").length, 0);
  assert.equal(w.records.length, 6);
  for (const r of w.records) {
    assert.ok(r.ms > 0 && r.ms < 5_000, `latency ${r.ms}`);
    assert.ok(Math.abs(r.t - Date.now()) < 60_000);
  }
  // In time order.
  assert.deepEqual(
    w.records.map((r) => r.t),
    w.records.map((r) => r.t).sort((a, b) => a - b),
  );
});

test("PII inputs are keyed-hashed with the workspace key, or dropped, as the policy says", { timeout: 120_000 }, async () => {
  const s = await restart("  log:\n    flush_ms: 50\n    pii: hash\n");
  const CHURN = "/models/churn@production/invocations";
  const rows = [
    { tenure_months: 3, monthly_spend: 80, email: "ana.bo1@example.com" },
    { tenure_months: 50, monthly_spend: 20, email: "someone.else@mail.org" },
  ];
  const r = await post(s.base, CHURN, { dataframe_records: rows }, { "X-Request-Id": "pii-hash" });
  assert.equal(r.status, 200, r.body);
  const w = await windowWhen(tw.dir, "churn", (w) => w.records.some((x) => x.id === "pii-hash"), "the churn records");
  const keyFile = join(tw.dir, MONITORING_KEY_FILE);
  assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
  const key = Buffer.from((await readFile(keyFile, "utf8")).trim(), "hex");
  const logged = w.records.filter((x) => x.id === "pii-hash");
  assert.deepEqual(
    logged.map((x) => x.x),
    rows.map((row) => ({ ...row, email: keyedHash(key, row.email) })),
  );
  assert.match(String(logged[0].x.email), /^hmac:[0-9a-f]{16}$/);
  assert.deepEqual(
    logged.map((x) => x.y),
    r.json.predictions,
  );
  // Nowhere in clear, and the key is never in the log.
  const dir = requestsLogDir(tw.dir, "churn", "production");
  for (const f of await readdir(dir)) {
    const text = await readFile(join(dir, f), "utf8");
    assert.ok(!text.includes("example.com") && !text.includes("mail.org"), "no e-mail address in clear");
    assert.ok(!text.includes(key.toString("hex")));
  }
  // The other model has no PII: its inputs stay as sent.
  const t = await post(s.base, TEMP, tempRows([[0, 5, 4.7]]), { "X-Request-Id": "no-pii" });
  assert.equal(t.status, 200);
  const tw2 = await windowWhen(tw.dir, "temp", (w) => w.records.some((x) => x.id === "no-pii"), "the temp record");
  assert.deepEqual(tw2.records.find((x) => x.id === "no-pii")?.x, { precipitation: 0, temp_min: 5, wind: 4.7 });

  const dropping = await restart("  log:\n    flush_ms: 50\n    pii: drop\n");
  const d = await post(dropping.base, CHURN, { dataframe_records: rows.slice(0, 1) }, { "X-Request-Id": "pii-drop" });
  assert.equal(d.status, 200, d.body);
  const w2 = await windowWhen(tw.dir, "churn", (w) => w.records.some((x) => x.id === "pii-drop"), "the dropped record");
  assert.deepEqual(w2.records.find((x) => x.id === "pii-drop")?.x, { tenure_months: 3, monthly_spend: 80 });
  assert.ok(runs.churn);
});

test("a kill -9 after a flush keeps every flushed record, and the log reads cleanly, a torn tail too", { timeout: 120_000 }, async () => {
  const s = await restart("  log:\n    flush_ms: 50\n");
  const before = (await readInferenceWindow(tw.dir, "temp", "production")).records.length;
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const r = await post(s.base, TEMP, tempRows([[i / 10, i, 3]]), { "X-Request-Id": `kill-${i}` });
    assert.equal(r.status, 200);
    ids.push(`kill-${i}`);
  }
  const flushed = await windowWhen(tw.dir, "temp", (w) => ids.every((id) => w.records.some((r) => r.id === id)), "the 30 records");
  // More requests, whose batch may or may not be written when the kill comes.
  await Promise.all(Array.from({ length: 20 }, (_, i) => post(s.base, TEMP, tempRows([[0, i, 1]]), { "X-Request-Id": `late-${i}` })));
  s.child.kill("SIGKILL");
  await s.stop();
  server = null;
  const after = await readInferenceWindow(tw.dir, "temp", "production");
  assert.equal(after.torn + after.damaged, 0);
  for (const r of flushed.records)
    assert.ok(
      after.records.some((a) => a.id === r.id && a.row === r.row && a.t === r.t),
      `kept ${r.id}`,
    );
  assert.ok(after.records.length >= before + 30);
  // A write cut short leaves a last line without its newline: skipped and counted, the rest read.
  const dir = requestsLogDir(tw.dir, "temp", "production");
  const newest = (await Promise.all((await readdir(dir)).map(async (f) => ({ f, m: (await stat(join(dir, f))).mtimeMs })))).sort((a, b) => b.m - a.m)[0].f;
  await appendFile(join(dir, newest), `{"t":${Date.now()},"id":"torn","row":0,"v":1,"x":{"precipitation":0,`);
  const torn = await readInferenceWindow(tw.dir, "temp", "production");
  assert.equal(torn.torn, 1);
  assert.equal(torn.damaged, 0);
  assert.equal(torn.records.length, after.records.length);
  // A server started afterwards writes files of its own and the reader still reads everything.
  const again = await restart("  log:\n    flush_ms: 50\n");
  assert.equal((await post(again.base, TEMP, tempRows([[0, 1, 2]]), { "X-Request-Id": "after-kill" })).status, 200);
  const w = await windowWhen(tw.dir, "temp", (w) => w.records.some((r) => r.id === "after-kill"), "the record after the restart");
  assert.equal(w.torn, 1);
  assert.equal(w.records.length, after.records.length + 1);
});

test("log files rotate at file_mb and the deployment's oldest are deleted past max_mb", { timeout: 120_000 }, async () => {
  // 4 KiB files, 16 KiB per deployment; a record of temp is about 130 bytes.
  const s = await restart("  log:\n    flush_ms: 10\n    file_mb: 0.004\n    max_mb: 0.016\n");
  const dir = requestsLogDir(tw.dir, "temp", "production");
  for (let i = 0; i < 40; i++) {
    const batch = Array.from({ length: 10 }, (_, k) => [k, i, k + i]);
    const r = await post(s.base, TEMP, tempRows(batch), { "X-Request-Id": `rot-${i}` });
    assert.equal(r.status, 200);
    if (i % 4 === 3) await new Promise((r) => setTimeout(r, 30));
  }
  const w = await windowWhen(tw.dir, "temp", (w) => w.records.some((r) => r.id === "rot-39"), "the last batch");
  const files = await readdir(dir);
  const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  assert.ok(files.filter((f) => f.startsWith(`${s.child.pid}-`)).length >= 3, `this server rotated: ${files.join(", ")}`);
  assert.ok(total <= 16 * 1024 + 4 * 1024 + 2048, `the folder is trimmed to about max_mb: ${total} bytes in ${files.length} files`);
  // What remains is the newest, whole: every request of the last ones has its ten rows.
  for (let i = 35; i < 40; i++) assert.equal(w.records.filter((r) => r.id === `rot-${i}`).length, 10, `rot-${i}`);
  assert.ok(!w.records.some((r) => r.id.startsWith("kill-")), "the oldest records were deleted");
  assert.equal(w.torn, 0);
});
