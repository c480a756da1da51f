import { test } from "node:test";
import assert from "node:assert/strict";
import { createHistory, HISTORY_SESSION } from "../../kernel/history.js";

function sample() {
  const h = createHistory();
  const cells = ["1 + 2", "const a = 1;", "  ", "%dw help", "1 + 2", "a * 10", "1 + 2"];
  cells.forEach((code, i) => h.record(i + 1, code));
  h.recordOutput(1, "3");
  h.recordOutput(6, "10");
  h.recordOutput(7, "3");
  return h;
}

test("tail: the last n cells as [session, line, input]; with output, [input, value text or null]", () => {
  const h = sample();
  assert.deepEqual(h.reply({ hist_access_type: "tail", n: 3, output: false, raw: true }), {
    status: "ok",
    history: [
      [HISTORY_SESSION, 5, "1 + 2"],
      [HISTORY_SESSION, 6, "a * 10"],
      [HISTORY_SESSION, 7, "1 + 2"],
    ],
  });
  assert.deepEqual(h.reply({ hist_access_type: "tail", n: 2, output: true }).history, [
    [HISTORY_SESSION, 6, ["a * 10", "10"]],
    [HISTORY_SESSION, 7, ["1 + 2", "3"]],
  ]);
  // A blank cell is not kept; ten cells is the default.
  assert.deepEqual(
    h.reply({ hist_access_type: "tail" }).history.map((e) => e[1]),
    [1, 2, 4, 5, 6, 7],
  );
  assert.deepEqual(h.reply({ hist_access_type: "tail", n: 0 }).history, []);
});

test("range: lines start to stop (stop excluded) of this session; other sessions have none", () => {
  const h = sample();
  assert.deepEqual(h.reply({ hist_access_type: "range", session: HISTORY_SESSION, start: 4, stop: 5 }).history, [[HISTORY_SESSION, 4, "%dw help"]]);
  assert.deepEqual(
    h.reply({ hist_access_type: "range", session: 0, start: 5 }).history.map((e) => e[1]),
    [5, 6, 7],
  );
  assert.deepEqual(
    h.reply({ hist_access_type: "range" }).history.map((e) => e[1]),
    [1, 2, 4, 5, 6, 7],
  );
  assert.deepEqual(h.reply({ hist_access_type: "range", session: -1, start: 1 }).history, []);
});

test("search: a glob over the whole input, unique keeps each input's last run, n the last matches", () => {
  const h = sample();
  assert.deepEqual(
    h.reply({ hist_access_type: "search", pattern: "1 + *" }).history.map((e) => e[1]),
    [1, 5, 7],
  );
  assert.deepEqual(h.reply({ hist_access_type: "search", pattern: "1 + *", unique: true }).history, [[HISTORY_SESSION, 7, "1 + 2"]]);
  assert.deepEqual(
    h.reply({ hist_access_type: "search", pattern: "*", unique: true, n: 2 }).history.map((e) => e[2]),
    ["a * 10", "1 + 2"],
  );
  assert.deepEqual(
    h.reply({ hist_access_type: "search", pattern: "?dw*" }).history.map((e) => e[2]),
    ["%dw help"],
  );
  assert.deepEqual(
    h.reply({ hist_access_type: "search", pattern: "[ac]*" }).history.map((e) => e[2]),
    ["const a = 1;", "a * 10"],
  );
  assert.deepEqual(
    h.reply({ hist_access_type: "search", pattern: "[^1%]*" }).history.map((e) => e[2]),
    ["const a = 1;", "a * 10"],
  );
  // Case-sensitive, the whole input, and regular-expression characters are plain text.
  assert.deepEqual(h.reply({ hist_access_type: "search", pattern: "CONST*" }).history, []);
  assert.deepEqual(h.reply({ hist_access_type: "search", pattern: "1 +" }).history, []);
  assert.deepEqual(
    h.reply({ hist_access_type: "search", pattern: "a [*] 10" }).history.map((e) => e[1]),
    [6],
  );
});

test("an unknown access type answers an empty history", () => {
  assert.deepEqual(sample().reply({ hist_access_type: "everything" }), { status: "ok", history: [] });
});
