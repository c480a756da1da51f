import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";

// compare_experiments on two runs says what changed from the older to the newer: the training
// cell's code (a unified diff of the cell.ts each run commit keeps) and the data.

let tw: TempWorkspace;
const run: Record<"first" | "second" | "noCell", string> = { first: "", second: "", noCell: "" };

const cell1 = "%dw train_model --data weather --target temp_max --features temp_min\n// temperatures only\nrun.metrics\n";
const cell2 = "%dw train_model --data weather --target temp_max --features temp_min,humidity\n// temperatures and humidity\nrun.metrics\n";

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });

before(async () => {
  tw = await makeTempWorkspace("dw-cmpdiff-test-");
  const inCell = (cell: string | undefined) => createToolContext({ cwd: tw.dir, origin: cell === undefined ? { via: "test" } : { via: "test", cell } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, await inCell(undefined)));
  run.first = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"] }, await inCell(cell1))).run_id;
  // New data under the same id: 100 rows fewer, a humidity column, wind as text.
  const lines = (await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n");
  const header = lines[0].split(",");
  const wind = header.indexOf("wind");
  const changed = [
    [...header, "humidity"].join(","),
    ...lines.slice(101).map((l, i) => {
      const cells = l.split(",");
      cells[wind] = `${cells[wind]} m/s`;
      return [...cells, String(40 + (i % 50))].join(",");
    }),
  ];
  await writeFile(join(tw.dir, "data", "weather-2.csv"), changed.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/weather-2.csv", dataset_id: "weather" }, await inCell(undefined)));
  run.second = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "humidity"] }, await inCell(cell2))).run_id;
  run.noCell = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"] }, await inCell(undefined))).run_id;
});
after(async () => tw.cleanup());

const compare = async (run_ids: string[]) => ok(await runTool("compare_experiments", { run_ids }, await createToolContext({ cwd: tw.dir })));

test("two runs: the cells' unified diff, older to newer whatever order they are given in, as git diff has it", async () => {
  for (const order of [
    [run.second, run.first],
    [run.first, run.second],
  ]) {
    const cmp = await compare(order);
    assert.equal(cmp.code_diff.from_run, run.first);
    assert.equal(cmp.code_diff.to_run, run.second);
    assert.equal(cmp.code_diff.status, "different");
    assert.equal(cmp.code_diff.added, 2);
    assert.equal(cmp.code_diff.removed, 2);
    const [head1, head2, ...hunks] = cmp.code_diff.diff.split("\n");
    assert.equal(head1, `--- ${run.first}/cell.ts`);
    assert.equal(head2, `+++ ${run.second}/cell.ts`);
    // The cells as the run commits keep them, diffed by git's own diff.
    assert.equal(git("show", `refs/dw/runs/${run.first}:cell.ts`), cell1);
    const theirs = git("diff", "-U3", "--no-color", `refs/dw/runs/${run.first}`, `refs/dw/runs/${run.second}`, "--", "cell.ts").split("\n");
    assert.deepEqual(hunks, theirs.slice(theirs.findIndex((l) => l.startsWith("@@"))));
    assert.equal(cmp.code_diff.note, undefined);
  }
});

test("two runs: what changed in the data, from the runs' own records", async () => {
  const cmp = await compare([run.first, run.second]);
  const d = cmp.data_diff;
  const stored = (id: string) => JSON.parse(git("show", `refs/dw/runs/${id}:run.json`)).data;
  const [a, b] = [stored(run.first), stored(run.second)];
  assert.equal(d.from_run, run.first);
  assert.equal(d.to_run, run.second);
  assert.equal(d.same_data, false);
  assert.deepEqual(d.from, { dataset_id: "weather", sha256: a.sha256, rows: a.rows });
  assert.deepEqual(d.to, { dataset_id: "weather", sha256: b.sha256, rows: b.rows });
  assert.equal(d.rows_change, -100);
  assert.deepEqual(d.columns_added, ["humidity"]);
  assert.deepEqual(d.columns_removed, []);
  const windType = (data: { columns: { name: string; type: string }[] }) => data.columns.find((c) => c.name === "wind")!.type;
  assert.notEqual(windType(a), windType(b));
  assert.deepEqual(d.columns_type_changed, [{ column: "wind", from: windType(a), to: windType(b) }]);

  const same = (await compare([run.second, run.noCell])).data_diff;
  assert.equal(same.same_data, true);
  assert.equal(same.rows_change, 0);
  assert.deepEqual([same.columns_added, same.columns_removed, same.columns_type_changed], [[], [], []]);

  const html = renderResultHtml("compare_experiments", cmp);
  assert.doesNotMatch(html, /undefined|NaN|\[object Object\]/);
  assert.match(html, /columns added<\/th><td[^>]*>humidity/);
  assert.match(html, /Code: \+2 −2 lines/);
  assert.match(html, /<span style="color: var\(--jp-error-color0, #c00\)">-\/\/ temperatures only<\/span>/);
});

test("a run made outside a notebook cell has no code to diff, and the note says so; three runs get no diffs", async () => {
  const cmp = await compare([run.noCell, run.second]);
  assert.equal(cmp.code_diff.status, "no_cell");
  assert.equal(cmp.code_diff.diff, "");
  assert.match(cmp.code_diff.note, new RegExp(`Run ${run.noCell} has no cell\\.ts: it was not made from a notebook cell \\(via test\\)`));
  assert.match(renderResultHtml("compare_experiments", cmp), /has no cell\.ts/);
  const three = await compare([run.first, run.second, run.noCell]);
  assert.equal(three.code_diff, undefined);
  assert.equal(three.data_diff, undefined);
});
