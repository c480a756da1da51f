import { test } from "node:test";
import assert from "node:assert/strict";
import { createHistory, HISTORY_LIMIT, HISTORY_SESSION } from "../../kernel/history.js";

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

/** A clock that reads `start` plus the milliseconds a test advances it by. */
function clock(start = Date.parse("2026-12-04T10:00:00.000Z")) {
  let ms = start;
  return { now: () => new Date(ms), advance: (by: number) => void (ms += by) };
}

test("each cell is an ExecutedCell: count, cell id, code as received, start, then duration and status when it ends", () => {
  const c = clock();
  const h = createHistory({ now: c.now });
  c.advance(5_000);
  const first = h.record(1, "%dw load_dataset data/x.csv --as x", "load-cell");
  assert.equal(h.running(), first);
  c.advance(1_250);
  first!.end("ok");
  assert.equal(h.running(), undefined);
  const second = h.record(2, "throw new Error('no')");
  c.advance(3);
  second!.end("error");
  const third = h.record(3, "await new Promise(() => {})", "waits");
  c.advance(40);
  third!.end("aborted");
  // An end after the first (the handler's finally after its own) changes nothing.
  third!.end("ok");
  const running = h.record(4, "%dw train_model --data x --target y", "train");
  assert.deepEqual(h.snapshot(), {
    kernel_started_at: "2026-12-04T10:00:00.000Z",
    dropped: 0,
    cells: [
      {
        execution_count: 1,
        cell_id: "load-cell",
        code: "%dw load_dataset data/x.csv --as x",
        started_at: "2026-12-04T10:00:05.000Z",
        duration_ms: 1250,
        status: "ok",
        dw_calls: [],
      },
      { execution_count: 2, code: "throw new Error('no')", started_at: "2026-12-04T10:00:06.250Z", duration_ms: 3, status: "error", dw_calls: [] },
      {
        execution_count: 3,
        cell_id: "waits",
        code: "await new Promise(() => {})",
        started_at: "2026-12-04T10:00:06.253Z",
        duration_ms: 40,
        status: "aborted",
        dw_calls: [],
      },
      {
        execution_count: 4,
        cell_id: "train",
        code: "%dw train_model --data x --target y",
        started_at: "2026-12-04T10:00:06.293Z",
        status: "running",
        dw_calls: [],
      },
    ],
  });
  assert.equal(h.running(), running);
});

test("a snapshot is a copy: calls added and cells run after it do not change it", () => {
  const h = createHistory();
  const cell = h.record(1, "%dw load_dataset a.csv")!;
  cell.addCall({ tool: "load_dataset", line: 1, ok: true, result_id: "a" });
  const taken = h.snapshot();
  cell.addCall({ tool: "train_model", ok: false, error_code: "INVALID_INPUT" });
  cell.end("error");
  h.record(2, "1 + 1");
  assert.equal(taken.cells.length, 1);
  assert.equal(taken.cells[0].status, "running");
  assert.deepEqual(taken.cells[0].dw_calls, [{ tool: "load_dataset", line: 1, ok: true, result_id: "a" }]);
  assert.deepEqual(
    h.snapshot().cells[0].dw_calls.map((c) => c.tool),
    ["load_dataset", "train_model"],
  );
});

test("blank cells are not kept: record gives no handle and nothing is running", () => {
  const h = createHistory();
  assert.equal(h.record(1, "  \n\t"), undefined);
  assert.equal(h.running(), undefined);
  assert.deepEqual(h.snapshot().cells, []);
});

test(`bounded: the last ${HISTORY_LIMIT} cells are kept, the dropped ones counted, and history_request answers from the same list`, () => {
  const h = createHistory();
  for (let i = 1; i <= HISTORY_LIMIT + 25; i++) h.record(i, `cell ${i}`)!.end("ok");
  const record = h.snapshot();
  assert.equal(record.cells.length, HISTORY_LIMIT);
  assert.equal(record.dropped, 25);
  assert.equal(record.cells[0].execution_count, 26);
  assert.equal(record.cells.at(-1)!.execution_count, HISTORY_LIMIT + 25);
  assert.deepEqual(h.reply({ hist_access_type: "range", start: 1, stop: 27 }).history, [[HISTORY_SESSION, 26, "cell 26"]]);
  assert.equal(h.reply({ hist_access_type: "search", pattern: "cell *" }).history.length, HISTORY_LIMIT);
  // A smaller limit, for a kernel that wants one.
  const small = createHistory({ limit: 2 });
  ["a", "b", "c"].forEach((code, i) => small.record(i + 1, code));
  assert.deepEqual(
    small.snapshot().cells.map((c) => c.code),
    ["b", "c"],
  );
  assert.equal(small.snapshot().dropped, 1);
});

test("search with unique over many repeated inputs keeps each input's last run, in order", () => {
  const h = createHistory();
  for (let i = 1; i <= 900; i++) h.record(i, `x${i % 3}`);
  assert.deepEqual(h.reply({ hist_access_type: "search", pattern: "x*", unique: true }).history, [
    [HISTORY_SESSION, 898, "x1"],
    [HISTORY_SESSION, 899, "x2"],
    [HISTORY_SESSION, 900, "x0"],
  ]);
});
