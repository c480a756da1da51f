import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createComms } from "../../kernel/comms.js";
import type { ToolCaller } from "../../kernel/createToolCaller.js";
import type { Outputs } from "../../kernel/outputs.js";
import type { JupyterMessage } from "../../kernel/jupyterProtocol/message.js";
import { createMessageFactory } from "../../kernel/jupyterProtocol/message.js";
import { KernelMessage } from "../../src/comm/protocol.js";
import { createToolContext, type ToolResult } from "../../src/index.js";
import { makeTempWorkspace } from "../helpers/tempWorkspace.js";

const tw = await makeTempWorkspace("dw-comms-");
after(() => tw.cleanup());

function setup(result: ToolResult) {
  const sent: { type: string; content: Record<string, unknown>; parent?: JupyterMessage }[] = [];
  const calls: { name: string; input: unknown; notebook?: unknown }[] = [];
  const outputs = {
    publish: (type: string, content: Record<string, unknown>, parent?: JupyterMessage) => void sent.push({ type, content, parent }),
  } as unknown as Outputs;
  const caller: ToolCaller = {
    call: async (name, input, options) => (calls.push({ name, input, notebook: options?.notebook }), result),
    context: () => createToolContext({ cwd: tw.dir }),
  };
  const comms = createComms({ outputs, caller, log: () => {} });
  const m = createMessageFactory();
  const msg = (type: string, content: Record<string, unknown>) => m.create(type, content);
  const data = (i: number) => KernelMessage.parse(sent[i].content.data);
  return { comms, sent, calls, msg, data };
}

test("comms with other targets are closed; dw comms are listed until closed", async () => {
  const { comms, sent, msg } = setup({ ok: true, tool: "x", output: {} });
  await comms.open(msg("comm_open", { comm_id: "w", target_name: "jupyter.widget", data: {} }));
  assert.deepEqual(
    sent.map((s) => [s.type, s.content]),
    [["comm_close", { comm_id: "w", data: {} }]],
  );
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  assert.deepEqual(comms.info(), { a: { target_name: "dw" } });
  assert.deepEqual(comms.info("jupyter.widget"), {});
  comms.close(msg("comm_close", { comm_id: "a" }));
  assert.deepEqual(comms.info(), {});
});

test("get_state answers with the registry state of the workspace, in reply to the request", async () => {
  const { comms, sent, msg, data } = setup({ ok: true, tool: "x", output: {} });
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  const req = msg("comm_msg", { comm_id: "a", data: { type: "get_state" } });
  await comms.message(req);
  const state = data(0);
  assert.equal(state.type, "state");
  assert.deepEqual(state.type === "state" && state.state.models, []);
  assert.equal(sent[0].parent, req);
  assert.equal(sent[0].content.comm_id, "a");
});

test("productionize runs the tool with the frontend's notebook and replies with the result", async () => {
  const output = {
    run_id: "r1",
    model_name: "temp",
    version: 2,
    newly_registered: true,
    alias: "production",
    endpoint_url: "http://h/m",
    version_url: "http://h/v",
    curl: "curl ...",
  };
  const { comms, calls, msg, data } = setup({ ok: true, tool: "productionize", output });
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  const notebook = { path: "q.ipynb", content: "{}" };
  await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "productionize", request_id: "q1", run_id: "r1", alias: "production", notebook } }));
  assert.deepEqual(calls, [{ name: "productionize", input: { run_id: "r1", alias: "production" }, notebook }]);
  assert.deepEqual(data(0), {
    type: "productionize_result",
    request_id: "q1",
    ok: true,
    result: { run_id: "r1", model_name: "temp", version: 2, alias: "production", endpoint_url: "http://h/m", curl: "curl ..." },
  });
});

test("a failed productionize and an invalid message come back as errors the frontend can read", async () => {
  const error = { code: "NOT_FOUND" as const, message: "no run r9", hint: "check the id" };
  const { comms, msg, data } = setup({ ok: false, tool: "productionize", error });
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "productionize", request_id: "q2", run_id: "r9" } }));
  assert.deepEqual(data(0), { type: "productionize_result", request_id: "q2", ok: false, error });
  await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "productionize" } }));
  const invalid = data(1);
  assert.equal(invalid.type, "error");
  assert.match(invalid.type === "error" ? invalid.error.message : "", /invalid dw comm message: request_id/);
});

test("pushState sends state to every open dw comm, and nothing when none is open", async () => {
  const { comms, sent, msg } = setup({ ok: true, tool: "x", output: {} });
  await comms.pushState();
  assert.equal(sent.length, 0);
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  await comms.open(msg("comm_open", { comm_id: "b", target_name: "dw", data: {} }));
  await comms.pushState();
  assert.deepEqual(
    sent.map((s) => s.content.comm_id),
    ["a", "b"],
  );
});
