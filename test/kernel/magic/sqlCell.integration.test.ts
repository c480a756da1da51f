import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { startKernel, type Exchange, type KernelProcess } from "../helpers/kernelProcess.js";
import { DW_RESULT_MIME } from "../../../src/comm/protocol.js";

let tw: TempWorkspace;
let k: KernelProcess;

before(async () => {
  tw = await makeTempWorkspace("dw-kernel-sql-");
  k = await startKernel({ cwd: tw.dir });
});
after(async () => {
  await k?.stop();
  await tw?.cleanup();
});

const execute = (code: string) => k.request("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
const outputs = (x: Exchange, type: string) => x.iopub.filter((m) => m.header.msg_type === type);

test("a %%dw sql cell in the real kernel loads the query's result as a dataset bound to --as and shows it", async () => {
  const x = await execute("%%dw sql --as rainy\nSELECT date, precipitation\nFROM 'data/seattle-weather.csv'\nWHERE weather = 'rain' AND precipitation > 20");
  assert.equal(x.reply.content.status, "ok", JSON.stringify(x.reply.content));
  const shown = outputs(x, "display_data").map((m) => (m.content as { data: Record<string, unknown> }).data);
  const result = shown.find((d) => DW_RESULT_MIME in d)?.[DW_RESULT_MIME] as { tool: string; output: Record<string, unknown> } | undefined;
  assert.equal(result?.tool, "load_dataset");
  const y = await execute("[rainy.rows, rainy.columns.map((c: any) => c.type).join(','), typeof rainy.dataset_id]");
  const text = (outputs(y, "execute_result")[0].content as { data: Record<string, string> }).data["text/plain"];
  assert.match(text, /^\[ \d+, 'date,number', 'string' \]$/);
  assert.ok(Number(/\[ (\d+)/.exec(text)![1]) > 0);
});

test("a SQL error fails the cell with the database's message; the kernel keeps running", async () => {
  const x = await execute("%%dw sql --as broken\nSELECT weather, precipitationn FROM 'data/seattle-weather.csv'");
  assert.equal(x.reply.content.status, "error");
  assert.equal(x.reply.content.ename, "DwError: SQL_ERROR");
  assert.match(String(x.reply.content.evalue), /DuckDB rejected the query: Binder Error: Referenced column "precipitationn" not found/);
  const alive = await execute("1 + 1");
  assert.equal(alive.reply.content.status, "ok");
});
