import { test } from "node:test";
import assert from "node:assert/strict";
import { progressNotifier, type McpProgress } from "../../../src/mcp/progressNotifier.js";

// MCP progress must grow with every notification; dw's starts again at each stage (folds, then trees).

function notifier() {
  const sent: McpProgress[] = [];
  let t = 0;
  const report = progressNotifier(
    (p) => sent.push(p),
    () => t,
  );
  return { sent, report, advance: (ms: number) => (t += ms) };
}

test("a new stage is laid after the previous one, so progress and total only grow", () => {
  const { sent, report, advance } = notifier();
  for (let fold = 1; fold <= 3; fold++) {
    report({ message: `fold ${fold} of 3`, done: fold, total: 3 });
    advance(200);
  }
  for (const trees of [1, 50, 100]) {
    report({ message: `${trees} of 100 trees built`, done: trees, total: 100 });
    advance(200);
  }
  assert.deepEqual(
    sent.map((p) => [p.progress, p.total]),
    [
      [1, 3],
      [2, 3],
      [3, 3],
      [5, 104],
      [54, 104],
      [104, 104],
    ],
  );
  assert.equal(sent[3].message, "1 of 100 trees built");
});

test("reports closer than 100 ms apart are dropped, except the one that ends a stage; steps without a total count one each", () => {
  const { sent, report, advance } = notifier();
  report({ message: "1", done: 1, total: 10 });
  advance(10);
  report({ message: "2", done: 2, total: 10 });
  advance(10);
  report({ message: "10", done: 10, total: 10 });
  assert.deepEqual(
    sent.map((p) => p.message),
    ["1", "10"],
  );
  advance(200);
  report({ message: "checking gates", done: 0 });
  advance(200);
  report({ message: "fitting", done: 0 });
  assert.deepEqual(
    sent.slice(2).map((p) => [p.progress, p.total, p.message]),
    [
      [11, undefined, "checking gates"],
      [12, undefined, "fitting"],
    ],
  );
});
