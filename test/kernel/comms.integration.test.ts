import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createComms } from "../../kernel/comms.js";
import { createToolCaller, type ToolCaller } from "../../kernel/createToolCaller.js";
import { createResultRegistry } from "../../kernel/display.js";
import type { Outputs } from "../../kernel/outputs.js";
import type { JupyterMessage } from "../../kernel/jupyterProtocol/message.js";
import { createMessageFactory } from "../../kernel/jupyterProtocol/message.js";
import { KernelMessage } from "../../src/comm/protocol.js";
import type { ToolResult } from "../../src/index.js";
import { makeTempWorkspace } from "../helpers/tempWorkspace.js";
import { createBrowserNotebook } from "../../kernel/browserNotebook.js";

// The comm over the kernel's real tool caller: productionize really registers and deploys (the
// workspace's dw serve starts, and tw.cleanup() stops it).
const tw = await makeTempWorkspace("dw-comms-");
after(() => tw.cleanup());

const real = createToolCaller({ cwd: () => tw.dir, currentCell: () => undefined, env: {}, results: createResultRegistry(), onStateChange: () => undefined });

/** A trained run in the workspace, for productionize to take. */
async function trainedRun(): Promise<string> {
  assert.ok((await real.call("load_dataset", { path: "data/seattle-weather.csv" })).ok);
  const run = await real.call("train_model", { dataset_id: "seattle-weather", target: "temp_max", features: ["temp_min", "wind"] });
  assert.ok(run.ok, JSON.stringify(run));
  return String(run.output.run_id);
}

function setup() {
  const sent: { type: string; content: Record<string, unknown>; parent?: JupyterMessage }[] = [];
  const calls: { name: string; input: unknown; notebook?: unknown; result: ToolResult }[] = [];
  const outputs = {
    publish: (type: string, content: Record<string, unknown>, parent?: JupyterMessage) => void sent.push({ type, content, parent }),
  } as unknown as Outputs;
  // The real caller, with each call and its result noted on the way.
  const caller: ToolCaller = {
    ...real,
    async call(name, input, options) {
      const result = await real.call(name, input, options);
      calls.push({ name, input, notebook: options?.notebook, result });
      return result;
    },
  };
  const comms = createComms({ outputs, caller, log: () => {} });
  const m = createMessageFactory();
  const msg = (type: string, content: Record<string, unknown>) => m.create(type, content);
  const data = (i: number) => KernelMessage.parse(sent[i].content.data);
  return { comms, sent, calls, msg, data };
}

test("comms with other targets are closed; dw comms are listed until closed", async () => {
  const { comms, sent, msg } = setup();
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
  const { comms, sent, msg, data } = setup();
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
  const runId = await trainedRun();
  const { comms, calls, msg, data, sent } = setup();
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  const notebook = { path: "q.ipynb", content: "{}" };
  await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "productionize", request_id: "q1", run_id: runId, alias: "production", notebook } }));
  assert.deepEqual(
    calls.map(({ name, input, notebook }) => ({ name, input, notebook })),
    [{ name: "productionize", input: { run_id: runId, alias: "production" }, notebook }],
  );
  const result = calls[0].result;
  assert.ok(result.ok, JSON.stringify(result));
  const output = result.output as Record<string, unknown>;
  assert.equal(output.model_name, "temp_max");
  assert.equal(output.newly_registered, true);
  assert.match(String(output.endpoint_url), /^http:\/\/127\.0\.0\.1:\d+\/models\/temp_max@production\/invocations$/);
  // The frontend gets the fields of the comm contract, and nothing the tool says besides; each step
  // came as a productionize_step before the result.
  const answers = sent.map((_, i) => data(i));
  assert.deepEqual(answers.at(-1), {
    type: "productionize_result",
    request_id: "q1",
    ok: true,
    result: {
      run_id: runId,
      model_name: "temp_max",
      version: 1,
      alias: "production",
      endpoint_url: output.endpoint_url,
      curl: output.curl,
      monitoring: output.monitoring,
      ...(output.steps ? { steps: output.steps } : {}),
    },
  });
  const steps = answers.slice(0, -1);
  assert.ok(steps.every((a) => a.type === "productionize_step" && a.request_id === "q1"));
});

test("a failed productionize and an invalid message come back as errors the frontend can read", async () => {
  const { comms, calls, msg, data, sent } = setup();
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "productionize", request_id: "q2", run_id: "20240101-000000-abcdef" } }));
  const result = calls[0].result;
  assert.ok(!result.ok);
  assert.equal(result.error.code, "NOT_FOUND");
  assert.deepEqual(data(sent.length - 1), { type: "productionize_result", request_id: "q2", ok: false, error: result.error });
  await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "productionize" } }));
  const invalid = data(sent.length - 1);
  assert.equal(invalid.type, "error");
  assert.match(invalid.type === "error" ? invalid.error.message : "", /invalid dw comm message: request_id/);
});

test("pushState sends state to every open dw comm, and nothing when none is open", async () => {
  const { comms, sent, msg } = setup();
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

test("call_tool runs any tool with its progress lines, and answers with its output or its error whole", async () => {
  const { comms, calls, msg, sent } = setup();
  await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
  await comms.message(
    msg("comm_msg", { comm_id: "a", data: { type: "call_tool", request_id: "t1", tool: "load_dataset", input: { path: "data/seattle-weather.csv" } } }),
  );
  assert.deepEqual(
    calls.map(({ name, input }) => ({ name, input })),
    [{ name: "load_dataset", input: { path: "data/seattle-weather.csv" } }],
  );
  const answers = sent.map((s) => KernelMessage.parse(s.content.data));
  const last = answers.at(-1);
  assert.ok(last?.type === "tool_result" && last.ok, JSON.stringify(last));
  assert.equal(last.request_id, "t1");
  assert.equal(last.tool, "load_dataset");
  assert.equal(last.output.dataset_id, "seattle-weather");
  // Every message before the result is a progress line of this request.
  assert.ok(answers.slice(0, -1).every((a) => a.type === "tool_progress" && a.request_id === "t1"));

  // Input the tool's schema refuses, and a tool that does not exist: the kernel's own errors, whole.
  await comms.message(
    msg("comm_msg", { comm_id: "a", data: { type: "call_tool", request_id: "t2", tool: "train_model", input: { dataset_id: "seattle-weather" } } }),
  );
  const refused = KernelMessage.parse(sent.at(-1)?.content.data);
  assert.ok(refused.type === "tool_result" && !refused.ok);
  assert.equal(refused.error.code, "INVALID_INPUT");
  assert.match(refused.error.message, /target/);
  await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "call_tool", request_id: "t3", tool: "no_such_tool", input: {} } }));
  const unknown = KernelMessage.parse(sent.at(-1)?.content.data);
  assert.ok(unknown.type === "tool_result" && !unknown.ok);
  assert.equal(unknown.error.code, "UNKNOWN_TOOL");
});

test("configure sets the port of the dw serve the kernel starts; a bad one is refused as an invalid message", async () => {
  const { comms, msg, sent } = setup();
  const before = process.env.DW_SERVE_PORT;
  try {
    await comms.open(msg("comm_open", { comm_id: "a", target_name: "dw", data: {} }));
    await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "configure", serve_port: 8123 } }));
    assert.equal(process.env.DW_SERVE_PORT, "8123");
    assert.equal(sent.length, 0, "configure answers nothing");
    await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "configure", serve_port: 0 } }));
    assert.equal(process.env.DW_SERVE_PORT, undefined, "0 goes back to any free port");
    await comms.message(msg("comm_msg", { comm_id: "a", data: { type: "configure", serve_port: 70000 } }));
    const refused = KernelMessage.parse(sent.at(-1)?.content.data);
    assert.ok(refused.type === "error");
    assert.match(refused.error.message, /serve_port/);
  } finally {
    if (before === undefined) delete process.env.DW_SERVE_PORT;
    else process.env.DW_SERVE_PORT = before;
  }
});

test("notebook_snapshot is validated, answered with nothing, and kept for the kernel's notebook only (the rest logged)", async () => {
  const logged: string[] = [];
  const sent: unknown[] = [];
  const outputs = { publish: (_type: string, content: Record<string, unknown>) => void sent.push(content.data) } as unknown as Outputs;
  const browserNotebook = createBrowserNotebook({ notebookPath: async () => "/w/project/weather.ipynb" });
  const comms = createComms({ outputs, caller: real, log: (m) => void logged.push(m), browserNotebook });
  const m = createMessageFactory();
  const send = (data: Record<string, unknown>) => comms.message(m.create("comm_msg", { comm_id: "s", data }));
  await comms.open(m.create("comm_open", { comm_id: "s", target_name: "dw", data: {} }));
  const content = JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });

  await send({ type: "notebook_snapshot", path: "project/weather.ipynb", content, cell_id: "c-1" });
  assert.deepEqual(sent, [], "no answer: the extension waits for nothing");
  assert.deepEqual(browserNotebook.latest(), { file: "/w/project/weather.ipynb", content, cell_id: "c-1" });

  await send({ type: "notebook_snapshot", path: "other.ipynb", content: JSON.stringify({ cells: [1], nbformat: 4 }) });
  assert.equal(browserNotebook.latest()!.content, content);
  assert.match(logged.join("\n"), /notebook snapshot ignored: it is other\.ipynb/);

  // Not the protocol (a cell id nbformat does not allow, no content): an error naming the field.
  await send({ type: "notebook_snapshot", path: "weather.ipynb", content, cell_id: "../../x" });
  await send({ type: "notebook_snapshot", path: "weather.ipynb" });
  const errors = sent.map((d) => KernelMessage.parse(d)).map((k) => (k.type === "error" ? k.error.message : k.type));
  assert.equal(errors.length, 2);
  assert.match(errors[0], /invalid dw comm message: cell_id: a cell id is 1 to 64 letters/);
  assert.match(errors[1], /invalid dw comm message: content/);
  assert.equal(browserNotebook.latest()!.content, content);
});
