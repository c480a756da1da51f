import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import type { TempWorkspace } from "../../helpers/tempWorkspace.js";
import { readInferenceWindow } from "../../../src/monitoring/log/readInferenceLog.js";
import { requestsLogDir } from "../../../src/monitoring/log/logPaths.js";
import { startServe, type ServeProcess } from "./serveProcess.js";
import { TEMP, loggedWorkspace, post, tempRows, windowWhen, writePolicy } from "./inferenceLogFixture.js";

// A dw serve of several worker processes: each writes its own log files, and the readers put them
// back together as one window.

let tw: TempWorkspace;
let server: ServeProcess | null = null;
before(async () => {
  ({ tw } = await loggedWorkspace({ prefix: "dw-inflog-workers-" }));
});
after(async () => {
  await server?.stop();
  await tw.cleanup();
});

const pidsOf = (files: string[]) => new Set(files.map((f) => f.split("-")[0]));

test("two workers each write their own files, read back as one window in time order", { timeout: 120_000 }, async () => {
  await writePolicy(tw.dir, "  log:\n    flush_ms: 50\n");
  server = await startServe(tw.dir, ["--workers", "2"]);
  const dir = requestsLogDir(tw.dir, "temp", "production");
  const sent: { id: string; prediction: number }[] = [];
  // Bursts of new connections until both workers have answered (each accepts connections itself).
  for (let burst = 0; burst < 20; burst++) {
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => post(server!.base, TEMP, tempRows([[burst, i, 1]]), { "X-Request-Id": `w-${burst}-${i}` })),
    );
    for (const [i, a] of answers.entries()) {
      assert.equal(a.status, 200, a.body);
      sent.push({ id: `w-${burst}-${i}`, prediction: a.json.predictions[0] });
    }
    await windowWhen(tw.dir, "temp", (w) => w.records.length >= sent.length, `${sent.length} records`);
    if (pidsOf(await readdir(dir)).size >= 2 && burst >= 2) break;
  }
  const files = await readdir(dir);
  assert.equal(pidsOf(files).size, 2, `files of two processes: ${files.join(", ")}`);
  assert.ok(!pidsOf(files).has(String(server.child.pid)), "the primary answers no request and writes no log");
  const w = await readInferenceWindow(tw.dir, "temp", "production");
  assert.equal(w.files, files.length);
  assert.equal(w.records.length, sent.length);
  const byId = new Map(w.records.map((r) => [r.id, r]));
  for (const s of sent) assert.equal(byId.get(s.id)?.y, s.prediction, s.id);
  assert.deepEqual(
    w.records.map((r) => r.t),
    w.records.map((r) => r.t).sort((a, b) => a - b),
  );
  const last = await readInferenceWindow(tw.dir, "temp", "production", { last: 5 });
  assert.deepEqual(
    last.records.map((r) => r.id),
    w.records.slice(-5).map((r) => r.id),
  );
});

test("stopping a server of workers writes what each worker's log held", { timeout: 120_000 }, async () => {
  await server?.stop();
  await writePolicy(tw.dir, "  log:\n    flush_ms: 600000\n");
  server = await startServe(tw.dir, ["--workers", "2"]);
  const before = (await readInferenceWindow(tw.dir, "temp", "production")).records.length;
  const ids = Array.from({ length: 24 }, (_, i) => `stop-${i}`);
  await Promise.all(ids.map((id, i) => post(server!.base, TEMP, tempRows([[0, i, 2]]), { "X-Request-Id": id })));
  await server.stop();
  server = null;
  const w = await readInferenceWindow(tw.dir, "temp", "production");
  assert.equal(w.records.length, before + ids.length);
  for (const id of ids)
    assert.ok(
      w.records.some((r) => r.id === id),
      id,
    );
  assert.equal(w.torn + w.damaged, 0);
});
