import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import type { TempWorkspace } from "../../helpers/tempWorkspace.js";
import { readFeedback, readInferenceWindow } from "../../../src/monitoring/log/readInferenceLog.js";
import { FEEDBACK_MAX_LABELS } from "../../../src/server/routes/feedbackRoutes.js";
import { rawRequest } from "./serverFixture.js";
import { startServe, type ServeProcess } from "./serveProcess.js";
import { TEMP, loggedWorkspace, post, tempRows, writePolicy } from "./inferenceLogFixture.js";

// POST /models/<name>@<alias>/feedback on a real dw serve: labels for earlier requests by their
// request id, one or many, stored append-only beside the inference log; every mistake a 400 that
// names the field, with the server still serving.

let tw: TempWorkspace;
let server: ServeProcess;
const FEEDBACK = "/models/temp@production/feedback";
before(async () => {
  ({ tw } = await loggedWorkspace({ prefix: "dw-feedback-" }));
  // A flush interval longer than the test: the inference log is written when the server stops.
  await writePolicy(tw.dir, "  log:\n    flush_ms: 600000\n");
  server = await startServe(tw.dir, ["--workers", "1"]);
});
after(async () => {
  await server.stop();
  await tw.cleanup();
});

test("labels for earlier requests, one or many, are stored and read back by request id and row", { timeout: 60_000 }, async () => {
  const a = await post(server.base, TEMP, tempRows([[0, 5, 4.7]]));
  const b = await post(
    server.base,
    TEMP,
    tempRows([
      [1, 2, 3],
      [2, 3, 4],
    ]),
  );
  const [idA, idB] = [String(a.headers["x-request-id"]), String(b.headers["x-request-id"])];
  const one = await post(server.base, FEEDBACK, { request_id: idA, label: 11.5 });
  assert.equal(one.status, 200, one.body);
  assert.deepEqual(one.json, { accepted: 1 });
  assert.ok(one.headers["x-request-id"]);
  const many = await post(server.base, FEEDBACK, {
    labels: [
      { request_id: idB, row: 0, label: 9 },
      { request_id: idB, row: 1, label: 10.25 },
      { request_id: "client-side-id", label: "a text label" },
    ],
  });
  assert.deepEqual(many.json, { accepted: 3 });
  // Answered means written: read at once.
  const labels = await readFeedback(tw.dir, "temp", "production");
  assert.deepEqual(Object.fromEntries([...labels].map(([k, v]) => [k, v.label])), {
    [`${idA}:0`]: 11.5,
    [`${idB}:0`]: 9,
    [`${idB}:1`]: 10.25,
    "client-side-id:0": "a text label",
  });
  // A label sent again replaces the first.
  assert.equal((await post(server.base, FEEDBACK, { request_id: idA, row: 0, label: 12 })).status, 200);
  assert.equal((await readFeedback(tw.dir, "temp", "production")).get(`${idA}:0`)?.label, 12);
});

test("bad feedback is a 400 naming the field and position, nothing of it is stored, and the server keeps serving", { timeout: 60_000 }, async () => {
  const stored = (await readFeedback(tw.dir, "temp", "production")).size;
  const cases: [unknown, RegExp][] = [
    ["{not json", /not valid JSON/],
    [[1, 2], /must be a JSON object/],
    [{ labels: "x" }, /labels must be a list/],
    [{ labels: [] }, /labels is empty/],
    [{ labels: [{ request_id: "ok", label: 1 }], extra: 1 }, /no other field/],
    [
      {
        labels: [
          { request_id: "ok", label: 1 },
          { request_id: "bad id!", label: 1 },
        ],
      },
      /^labels\[1\]\.request_id must be/,
    ],
    [{ labels: [{ request_id: "ok", label: 1 }, 7] }, /^labels\[1\] must be an object/],
    [{ request_id: "ok" }, /^the body\.label must be .*missing/],
    [{ label: 3 }, /^the body\.request_id must be .*missing/],
    [{ request_id: "ok", label: { nested: true } }, /^the body\.label must be/],
    [{ request_id: "ok", label: "x".repeat(1025) }, /at most 1024 characters/],
    [{ request_id: "ok", row: -1, label: 1 }, /^the body\.row must be a whole number from 0/],
    [{ request_id: "ok", row: 1.5, label: 1 }, /row must be a whole number/],
    [{ request_id: "ok", label: 1, secret_field: "s3cret" }, /^the body has a field other than request_id, row and label/],
    [{ labels: Array.from({ length: FEEDBACK_MAX_LABELS + 1 }, () => ({ request_id: "ok", label: 1 })) }, /more than the 10,000/],
  ];
  for (const [body, message] of cases) {
    const r = await post(server.base, FEEDBACK, body);
    assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.body}`);
    assert.equal(r.json.error_code, "BAD_REQUEST");
    assert.match(r.json.message, message);
    assert.ok(!r.body.includes("s3cret") && !r.body.includes("bad id!"), "the answer never repeats what was sent");
  }
  const big = await post(server.base, FEEDBACK, { request_id: "ok", label: "x".repeat(1024 * 1024) });
  assert.equal(big.status, 413);
  const text = await rawRequest(server.base, { method: "POST", path: FEEDBACK, headers: { "Content-Type": "text/plain" }, body: "x" });
  assert.equal(text.status, 415);
  assert.equal((await rawRequest(server.base, { path: FEEDBACK })).status, 405);
  assert.equal((await post(server.base, "/models/temp@staging/feedback", { request_id: "ok", label: 1 })).status, 404);
  assert.equal((await post(server.base, "/models/nothing@production/feedback", { request_id: "ok", label: 1 })).status, 404);
  assert.equal((await readFeedback(tw.dir, "temp", "production")).size, stored);
  const still = await post(server.base, TEMP, tempRows([[0, 5, 4.7]]));
  assert.equal(still.status, 200);
});

test("a server stopped with SIGTERM writes what its log held (the flush interval had not come)", { timeout: 60_000 }, async () => {
  const r = await post(server.base, TEMP, tempRows([[3, 3, 3]]), { "X-Request-Id": "before-stop" });
  assert.equal(r.status, 200);
  assert.equal((await readInferenceWindow(tw.dir, "temp", "production")).records.length, 0, "nothing written before the interval");
  await server.stop();
  const w = await readInferenceWindow(tw.dir, "temp", "production");
  assert.ok(w.records.some((x) => x.id === "before-stop"));
  // Every scored row of this file's requests: 1 + 2 + 1 + 1.
  assert.equal(w.records.length, 5);
  assert.equal(w.torn + w.damaged, 0);
  server = await startServe(tw.dir, ["--workers", "1"]);
});
