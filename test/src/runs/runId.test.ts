import { test } from "node:test";
import assert from "node:assert/strict";
import { newRunId, RUN_ID } from "../../../src/runs/runId.js";

test("run ids made in the same second sort in the order they were made, and keep the ref-safe shape", () => {
  const second = Date.UTC(2026, 11, 4, 16, 29, 4);
  const ids = [0, 1, 1, 1, 250, 999].map((ms) => newRunId(new Date(second + ms)));
  for (const id of ids) assert.match(id, RUN_ID);
  assert.deepEqual([...ids].sort(), ids, "sorted ids are the order of creation");
  assert.equal(new Set(ids).size, ids.length, "three ids in one millisecond are distinct");
  assert.ok(newRunId(new Date(second + 1000)) > ids.at(-1)!, "the next second sorts after");
});
