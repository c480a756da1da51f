import { test } from "node:test";
import assert from "node:assert/strict";
import { createBridge } from "../../../kernel/createBridge.js";
import { createToolCaller, type ToolCaller } from "../../../kernel/createToolCaller.js";
import { createResultRegistry, type MimeBundle } from "../../../kernel/display.js";
import { parseMagicLine } from "../../../kernel/magic/parseMagicLine.js";
import { preprocessCell } from "../../../kernel/magic/preprocessCell.js";
import { DW_RESULT_MIME } from "../../../src/comm/protocol.js";
import { DwError, tools } from "../../../src/index.js";
import { readDatasetRecord } from "../../../src/data/datasetRecords.js";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";

/** The kernel's router, wired as the kernel wires it (createBridge), over the real tools in `dir`; the calls it makes are recorded on the way. */
async function realRouter(dir: string) {
  const real = createToolCaller({ cwd: () => dir, currentCell: () => undefined, env: {}, results: createResultRegistry(), onStateChange: () => undefined });
  const calls: [string, unknown][] = [];
  const caller: ToolCaller = { ...real, call: (name, input, options) => (calls.push([name, input]), real.call(name, input, options)) };
  const shown: MimeBundle[] = [];
  const { router } = createBridge({ tools, caller, locals: () => ({}), display: (bundle) => void shown.push(bundle) });
  const help = () => shown.filter((b) => !(DW_RESULT_MIME in b)).map((b) => b["text/plain"]);
  return { router, calls, help, ctx: await real.context() };
}

test("%%dw sql --as NAME becomes one awaited cellMagic call declaring NAME; %dw sql on a line is refused", () => {
  const cell = "%%dw sql --as rainy --connection warehouse\nSELECT *\nFROM t -- where: 1";
  const out = preprocessCell(cell, { bridge: "__b", validate: () => undefined });
  assert.equal(out.code, `const rainy: any = await __b.cellMagic(" sql --as rainy --connection warehouse", "SELECT *\\nFROM t -- where: 1");\n\n`);
  assert.throws(
    () => preprocessCell("const a = 1;\n%dw sql --as x", { bridge: "__b" }),
    /line 2: sql is a cell magic: put %%dw sql --as NAME on the first line/,
  );
});

test("%%dw sql validates its flags before the cell runs and has its own help", async () => {
  const ws = await makeTempWorkspace();
  try {
    const { router, help, calls } = await realRouter(ws.dir);
    assert.doesNotThrow(() => router.validate(parseMagicLine("sql --as df --connection warehouse --dataset_id rainy")));
    assert.throws(() => router.validate(parseMagicLine("sql --table t")), /%%dw sql has no flag --table\. Flags: --connection, --dataset_id, --as/);
    assert.throws(() => router.validate(parseMagicLine("sql SELECT")), /takes the query in the cell body, not 'SELECT'/);
    assert.throws(() => router.validate(parseMagicLine("sql --connection")), /--connection needs a value/);
    await router.magic(1, "%dw help sql");
    await router.cellMagic(" sql --help", "");
    const [first, second] = help() as string[];
    assert.match(first, /^%%dw sql \[--connection NAME\|URL\] \[--dataset_id ID\] \[--as VAR\]/);
    assert.match(first, /DW_CONNECTION_<NAME>/);
    assert.equal(second, first);
    await assert.rejects(router.cellMagic(" sql", "  -- only a comment\n"), /has no query/);
    assert.equal(calls.length, 0);
  } finally {
    await ws.cleanup();
  }
});

test("%%dw sql runs the body through load_dataset: the result is a registered, hashed dataset", async () => {
  const ws = await makeTempWorkspace();
  try {
    const { router, calls, ctx } = await realRouter(ws.dir);
    const body = "SELECT weather, count(*) AS days, avg(temp_max) AS mean_max\nFROM 'data/seattle-weather.csv'\nGROUP BY weather\nORDER BY days DESC";
    const out = (await router.cellMagic(" sql --as by_weather --dataset_id by_weather", body)) as Record<string, unknown>;
    assert.deepEqual(calls, [["load_dataset", { query: body, dataset_id: "by_weather" }]]);
    assert.equal(out.dataset_id, "by_weather");
    assert.equal(out.rows, 5);
    assert.match(String(out.sha256), /^[0-9a-f]{64}$/);
    const preview = out.preview as Record<string, unknown>[];
    assert.equal(preview[0].weather, "rain");
    assert.equal(preview[0].days, 641);
    const rec = await readDatasetRecord(ctx.workspace, "by_weather");
    assert.equal(rec.rows, 5);
    // The new dataset is itself a view for the next query.
    const again = (await router.cellMagic(" sql", "SELECT sum(days) AS total FROM by_weather")) as Record<string, unknown>;
    assert.equal((again.preview as Record<string, unknown>[])[0].total, 1461);
    await assert.rejects(router.cellMagic(" sql", "SELECT nope FROM 'data/seattle-weather.csv'"), (e: unknown) => {
      assert.ok(e instanceof DwError);
      assert.equal(e.code, "SQL_ERROR");
      assert.match(e.message, /Referenced column "nope" not found/);
      return true;
    });
  } finally {
    await ws.cleanup();
  }
});
