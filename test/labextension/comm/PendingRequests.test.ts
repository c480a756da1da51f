import { test } from "node:test";
import assert from "node:assert/strict";
import { PendingRequests } from "../../../labextension/src/comm/PendingRequests.js";

test("each request gets its own id, and an answer settles only the request with that id", async () => {
  const pending = new PendingRequests<string>();
  const a = pending.open();
  const b = pending.open();
  assert.notEqual(a.id, b.id);
  assert.equal(pending.size, 2);
  assert.equal(pending.settle(b.id, "for b"), true);
  assert.equal(await b.answer, "for b");
  assert.equal(pending.has(a.id), true);
  assert.equal(pending.has(b.id), false);
  assert.equal(pending.settle(a.id, "for a"), true);
  assert.equal(await a.answer, "for a");
  assert.equal(pending.size, 0);
});

test("an answer for an id that no longer waits, or never did, settles nothing", async () => {
  const pending = new PendingRequests<number>();
  const a = pending.open();
  assert.equal(pending.settle("another-frontends-request", 1), false);
  assert.equal(pending.settle(a.id, 2), true);
  assert.equal(pending.settle(a.id, 3), false, "a request is answered once");
  assert.equal(await a.answer, 2);
});

test("rejectAll fails every waiting request with the reason, and forgets them", async () => {
  const pending = new PendingRequests<string>();
  const a = pending.open();
  const b = pending.open();
  pending.rejectAll("The kernel restarted before it answered.");
  await assert.rejects(a.answer, /The kernel restarted before it answered\./);
  await assert.rejects(b.answer, /The kernel restarted before it answered\./);
  assert.equal(pending.size, 0);
  assert.equal(pending.settle(a.id, "late"), false);
  const c = pending.open();
  assert.notEqual(c.id, a.id);
  assert.equal(pending.settle(c.id, "fresh"), true);
  assert.equal(await c.answer, "fresh");
});
