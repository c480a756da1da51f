import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { startKernel, type KernelProcess } from "../helpers/kernelProcess.js";

// The real kernel over the Jupyter protocol: cells load data, train and register through %dw,
// then complete_request asks for values as JupyterLab does on Tab.
let tw: TempWorkspace;
let k: KernelProcess;
let runId: string;

const execute = async (code: string) => {
  const x = await k.request("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
  assert.equal(x.reply.content.status, "ok", `${code}: ${String(x.reply.content.evalue ?? "")}`);
  return x;
};

/** complete_request with the cursor at the `|` in `code`; the reply's matches and the text they replace. */
async function complete(line: string) {
  const cursor = line.indexOf("|");
  const code = line.replace("|", "");
  const { reply } = await k.request("shell", "complete_request", { code, cursor_pos: cursor });
  assert.equal(reply.content.status, "ok");
  const { matches, cursor_start, cursor_end } = reply.content as { matches: string[]; cursor_start: number; cursor_end: number };
  assert.equal(cursor_end, cursor);
  return { matches, replaced: code.slice(cursor_start, cursor_end) };
}

before(async () => {
  tw = await makeTempWorkspace("dw-complete-kernel-");
  k = await startKernel({ cwd: tw.dir });
  await execute("%dw load_dataset data/seattle-weather.csv --dataset_id weather --as ds");
  await execute("%dw train_model --data ds --target temp_max --features precipitation,temp_min --as run");
  await execute("%dw register_model --run_id run.run_id --name temp");
  const x = await execute("run.run_id");
  const shown = (x.iopub.find((m) => m.header.msg_type === "execute_result")!.content as { data: Record<string, string> }).data["text/plain"];
  runId = /\d{8}-\d{6}-[0-9a-f]{6}/.exec(shown)![0];
});
after(async () => {
  await k?.stop();
  await tw?.cleanup();
});

test("--algorithm <Tab> lists the algorithms; --data the datasets", async () => {
  const algorithms = await complete("%dw train_model --algorithm |");
  assert.ok(algorithms.matches.includes("random_forest") && algorithms.matches.includes("linear_regression"), algorithms.matches.join(", "));
  assert.deepEqual((await complete("%dw train_model --algorithm gra|")).matches, ["gradient_boosting"]);
  assert.deepEqual((await complete("%dw train_model --data w|")).matches, ["weather"]);
});

test("--target and --features: the columns of the dataset the line names, through a kernel variable too", async () => {
  const target = await complete("%dw train_model --data ds --target temp|");
  assert.deepEqual(target.matches, ["temp_max", "temp_min"]);
  assert.equal(target.replaced, "temp");
  const features = await complete("x = 1\n%dw train_model --data weather --target temp_max --features precipitation,|");
  assert.deepEqual(features.matches, ["date", "temp_min", "wind", "weather"]);
  assert.equal(features.replaced, "");
});

test("--model_id and --run_id: registered models and runs", async () => {
  assert.deepEqual((await complete("%dw retrain_model --model_id t|")).matches, ["temp", "temp/1"]);
  assert.deepEqual((await complete("%dw productionize |")).matches, [runId]);
});

test("a dataset named like a kernel variable is offered quoted, so the call gets the dataset and not the variable", async () => {
  await execute("const weather = 1;");
  assert.deepEqual((await complete("%dw train_model --data we|")).matches, ["'weather'"]);
  // TypeScript completion still answers outside magic lines.
  assert.ok((await complete("%dw help\nweath|")).matches.includes("weather"));
});
