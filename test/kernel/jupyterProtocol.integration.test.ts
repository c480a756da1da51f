import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KernelMessage, DW_RESULT_MIME } from "../../src/comm/protocol.js";
import { makeTempWorkspace, type TempWorkspace } from "../helpers/tempWorkspace.js";
import { startKernel, type Exchange, type KernelProcess } from "./helpers/kernelProcess.js";
import { createMessageFactory } from "../../kernel/jupyterProtocol/message.js";
import { createSigner, encodeMessage } from "../../kernel/jupyterProtocol/wire.js";

let tw: TempWorkspace;
let k: KernelProcess;

before(async () => {
  tw = await makeTempWorkspace("dw-kernel-");
  k = await startKernel({ cwd: tw.dir });
});
after(async () => {
  await k?.stop();
  await tw?.cleanup();
});

const outputs = (x: Exchange, type: string) => x.iopub.filter((m) => m.header.msg_type === type);
const execute = (code: string) => k.request("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false });

async function assertAlive() {
  const x = await execute("40 + 2");
  assert.equal(x.reply.content.status, "ok");
  assert.equal((outputs(x, "execute_result")[0].content as { data: Record<string, string> }).data["text/plain"], "42");
}

test("kernel_info_reply has status ok, protocol 5.3 and the TypeScript language", async () => {
  const { reply } = await k.request("shell", "kernel_info_request", {});
  assert.equal(reply.header.msg_type, "kernel_info_reply");
  assert.equal(reply.content.status, "ok");
  assert.equal(reply.content.protocol_version, "5.3");
  const li = reply.content.language_info as Record<string, string>;
  assert.equal(li.name, "typescript");
  assert.equal(li.file_extension, ".ts");
  assert.equal(li.mimetype, "text/typescript");
  assert.match(li.version, /^\d+\.\d+\.\d+/);
});

test("execute: busy, execute_input, execute_result, idle, and the reply with execution_count", async () => {
  const x = await execute("const n: number = 1 + 2;\nn");
  assert.equal(x.reply.content.status, "ok");
  const types = x.iopub.map((m) => m.header.msg_type);
  assert.deepEqual(types, ["status", "execute_input", "execute_result", "status"]);
  assert.equal((x.iopub[0].content as { execution_state: string }).execution_state, "busy");
  const result = x.iopub[2].content as { data: Record<string, string>; execution_count: number };
  assert.equal(result.data["text/plain"], "3");
  assert.equal(result.execution_count, x.reply.content.execution_count);
});

test("streams: console.log and process.stderr.write during the cell", async () => {
  const x = await execute('console.log("to stdout");\nprocess.stderr.write("to stderr\\n");');
  const streams = outputs(x, "stream").map((m) => m.content as { name: string; text: string });
  assert.deepEqual(streams, [
    { name: "stdout", text: "to stdout\n" },
    { name: "stderr", text: "to stderr\n" },
  ]);
});

test("history_request recalls the cells executed since the start, with their counts and values; silent cells are not kept", async () => {
  const first = await execute("const h1: number = 7;\nh1");
  const silent = await k.request("shell", "execute_request", { code: "h1 + 1", silent: true, store_history: false });
  assert.equal(silent.reply.content.status, "ok");
  const second = await execute("h1 * 2");
  const { reply } = await k.request("shell", "history_request", { output: true, raw: true, hist_access_type: "tail", n: 2 });
  assert.equal(reply.header.msg_type, "history_reply");
  assert.deepEqual(reply.content, {
    status: "ok",
    history: [
      [1, first.reply.content.execution_count, ["const h1: number = 7;\nh1", "7"]],
      [1, second.reply.content.execution_count, ["h1 * 2", "14"]],
    ],
  });
  const search = await k.request("shell", "history_request", { output: false, raw: true, hist_access_type: "search", pattern: "h1 [*] *" });
  assert.deepEqual(search.reply.content.history, [[1, second.reply.content.execution_count, "h1 * 2"]]);
});

test("an exception and a type error each give one error output and an error reply; the kernel keeps running", async () => {
  const thrown = await execute('throw new TypeError("bad thing")');
  assert.equal(thrown.reply.content.status, "error");
  assert.equal(thrown.reply.content.ename, "TypeError");
  const errs = outputs(thrown, "error");
  assert.equal(errs.length, 1);
  assert.equal((errs[0].content as { evalue: string }).evalue, "bad thing");

  const typed = await execute('const s: number = "x";');
  assert.equal(typed.reply.content.status, "error");
  assert.match(String(typed.reply.content.evalue), /^1:7 - Type 'string' is not assignable to type 'number'/);

  const dunder = await execute("const __x = 1;");
  assert.match(String(dunder.reply.content.evalue), /names starting with '__' cannot be declared in a cell .* rename '__x'/);

  const rejected = await execute('await Promise.reject(new RangeError("later"))');
  assert.equal(rejected.reply.content.ename, "RangeError");
  await assertAlive();
});

test("a bad magic line fails the cell before any of it runs", async () => {
  const x = await execute('console.log("ran");\n%dw train_model --data weather --frobnicate 3');
  assert.equal(x.reply.content.status, "error");
  assert.equal(outputs(x, "stream").length, 0);
  assert.match(String(x.reply.content.evalue), /line 2: train_model has no flag --frobnicate\. Its flags: --dataset_id \(--data\)/);
  await assertAlive();
});

test("after a failing cell, cells already queued are aborted unless stop_on_error is false", async () => {
  const first = k.send("shell", "execute_request", { code: 'await new Promise((r) => setTimeout(r, 300));\nthrow new Error("first")', stop_on_error: true });
  const second = k.send("shell", "execute_request", { code: 'console.log("second")' });
  assert.equal((await first.done).reply.content.status, "error");
  const aborted = await second.done;
  assert.equal(aborted.reply.content.status, "aborted");
  assert.equal(outputs(aborted, "stream").length, 0);

  const lenient = k.send("shell", "execute_request", { code: 'throw new Error("x")', stop_on_error: false });
  const after = k.send("shell", "execute_request", { code: "5" });
  await lenient.done;
  assert.equal((await after.done).reply.content.status, "ok");
  await assertAlive();
});

test("completion and inspection know magic lines and the dw object", async () => {
  const flags = await k.request("shell", "complete_request", { code: "x\n%dw train_model --fea", cursor_pos: 24 });
  assert.deepEqual(flags.reply.content.matches, ["--features"]);
  assert.equal(flags.reply.content.cursor_start, 19);
  const methods = await k.request("shell", "complete_request", { code: "%dw help\ndw.trai", cursor_pos: 16 });
  // TypeScript's completion also offers names that contain the text (retrainModel), after those that start with it.
  const matches = methods.reply.content.matches as string[];
  assert.equal(matches[0], "trainModel");
  assert.ok(
    matches.every((m) => /trai/i.test(m)),
    `every completion of dw.trai names a method with 'trai' in it: ${matches.join(", ")}`,
  );
  const help = await k.request("shell", "inspect_request", { code: "%dw train_model --data w", cursor_pos: 8, detail_level: 0 });
  assert.equal(help.reply.content.found, true);
  assert.match((help.reply.content.data as Record<string, string>)["text/plain"], /--dataset_id, --data <string>/);
  const quick = await k.request("shell", "inspect_request", { code: "dw.loadDataset", cursor_pos: 14, detail_level: 0 });
  assert.match((quick.reply.content.data as Record<string, string>)["text/plain"], /loadDataset\(input\??: \{/);
});

test("comm_info, comm_open and a get_state round trip; an unknown target is closed", async () => {
  let info = await k.request("shell", "comm_info_request", { target_name: "dw" });
  assert.equal(info.reply.content.status, "ok");
  assert.deepEqual(info.reply.content.comms, {});

  await k.notify("comm_open", { comm_id: "c1", target_name: "dw", data: {} });
  info = await k.request("shell", "comm_info_request", {});
  assert.deepEqual(info.reply.content.comms, { c1: { target_name: "dw" } });

  const x = await k.notify("comm_msg", { comm_id: "c1", data: { type: "get_state" } });
  const msgs = x.filter((m) => m.header.msg_type === "comm_msg");
  assert.equal(msgs.length, 1);
  const content = msgs[0].content as { comm_id: string; data: unknown };
  assert.equal(content.comm_id, "c1");
  const parsed = KernelMessage.parse(content.data);
  assert.equal(parsed.type, "state");

  const bad = await k.notify("comm_msg", { comm_id: "c1", data: { type: "frobnicate" } });
  const badData = KernelMessage.parse((bad.find((m) => m.header.msg_type === "comm_msg")!.content as { data: unknown }).data);
  assert.equal(badData.type, "error");

  const other = await k.notify("comm_open", { comm_id: "w1", target_name: "jupyter.widget", data: {} });
  const closed = other.filter((m) => m.header.msg_type === "comm_close");
  assert.equal(closed.length, 1);
  assert.equal((closed[0].content as { comm_id: string }).comm_id, "w1");
});

test("magics run tools, show a dw result, and push fresh state to the open comm", async () => {
  const x = await execute(
    "%dw load_dataset data/seattle-weather.csv --as weather\n" +
      "%dw train_model --data weather --target temp_max --features precipitation,temp_min,wind --as run\n" +
      "run.run_id",
  );
  assert.equal(x.reply.content.status, "ok", JSON.stringify(x.reply.content));
  const displays = outputs(x, "display_data").map((m) => (m.content as { data: Record<string, unknown> }).data);
  assert.deepEqual(
    displays.map((d) => (d[DW_RESULT_MIME] as { tool: string }).tool),
    ["load_dataset", "train_model"],
  );
  const train = (displays[1][DW_RESULT_MIME] as { output: { run_id: string; dataset_id: string } }).output;
  assert.equal(train.dataset_id, "seattle-weather");
  assert.equal((outputs(x, "execute_result")[0].content as { data: Record<string, string> }).data["text/plain"], train.run_id);
  const push = await k.waitForIopub((m) => m.header.msg_type === "comm_msg" && (m.content as { data: { type?: string } }).data.type === "state");
  assert.equal((push.content as { comm_id: string }).comm_id, "c1");

  const cellMagic = await execute("%%dw register_model --as reg\nrun_id: run.run_id\nname: temp");
  assert.equal(cellMagic.reply.content.status, "ok", JSON.stringify(cellMagic.reply.content));
  const viaDw = await execute("const again = await dw.getModelVersions({ model_name: reg.model_name });\nagain.versions.length");
  assert.equal((outputs(viaDw, "execute_result")[0].content as { data: Record<string, string> }).data["text/plain"], "1");

  const failed = await execute('await dw.registerModel({ model_id: "no-such-run", model_name: "temp" })');
  assert.equal(failed.reply.content.status, "error");
  assert.match(String(failed.reply.content.ename), /^DwError: /);
});

test("SIGINT stops a busy loop, interrupt_request stops a long await; the kernel keeps running", async () => {
  const loop = k.send("shell", "execute_request", { code: "while (true) {}", silent: false });
  await new Promise((r) => setTimeout(r, 1000));
  k.child.kill("SIGINT");
  const looped = await loop.done;
  assert.equal(looped.reply.content.status, "error");
  assert.equal(looped.reply.content.ename, "KeyboardInterrupt");

  const wait = k.send("shell", "execute_request", { code: "await new Promise((r) => setTimeout(r, 60000));", silent: false });
  await new Promise((r) => setTimeout(r, 1000));
  const interrupt = await k.request("control", "interrupt_request", {});
  assert.equal(interrupt.reply.header.msg_type, "interrupt_reply");
  assert.equal(interrupt.reply.content.status, "ok");
  const waited = await wait.done;
  assert.equal(waited.reply.content.ename, "KeyboardInterrupt");
  await assertAlive();
});

test("a message with a bad signature is dropped and the kernel keeps running", async () => {
  const msg = createMessageFactory().create("execute_request", { code: 'console.log("forged")' });
  await k.sendRaw("shell", encodeMessage(msg, createSigner("not-the-key")));
  await assertAlive();
  assert.ok(!k.allIopub.some((m) => m.header.msg_type === "stream" && (m.content as { text: string }).text.includes("forged")));
  assert.match(k.stderr(), /signature does not match/);
});

test("shutdown_request on control is answered and the process exits", async () => {
  const exited = new Promise<number | null>((r) => k.child.once("exit", (code) => r(code)));
  const { reply } = await k.request("control", "shutdown_request", { restart: false });
  assert.equal(reply.content.status, "ok");
  assert.equal(await exited, 0);
});
