import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readKernelMessage } from "../../../labextension/src/comm/readKernelMessage.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";

// The sidebar's side of the comm contract (src/comm/protocol.ts): what the kernel sends is
// checked here before the sidebar sees it; what does not match is reported by field.

const tw = await makeTempWorkspace("dw-labext-");
after(() => tw.cleanup());

const state = {
  workspace: "/home/ann/project",
  server: { url: "http://127.0.0.1:5001", live: true },
  models: [
    {
      name: "temp",
      aliases: { production: 1 },
      versions: [
        { version: 2, run_id: "r2", created_at: "2024-05-01T10:00:00Z", aliases: [], error: "refs/dw/models/temp/2 is damaged" },
        { version: 1, run_id: "r1", created_at: "2024-04-01T10:00:00Z", algorithm: "linear_regression", metrics: { r2: 0.81 }, aliases: ["production"] },
      ],
    },
  ],
  endpoints: [
    { model: "temp", alias: "production", version: 1, invocations_url: "http://127.0.0.1:5001/models/temp@production/invocations", live: true, curl: "curl …" },
  ],
};

test("the state the get_workspace_state tool returns is a state message the sidebar accepts as it is", async () => {
  const ctx = await createToolContext({ cwd: tw.dir });
  const r = await runTool("get_workspace_state", {}, ctx);
  assert.ok(r.ok, JSON.stringify(r));
  const read = readKernelMessage({ type: "state", state: r.output });
  assert.ok(read.ok, read.ok ? "" : read.problem);
  assert.deepEqual(read.message, { type: "state", state: r.output });
});

test("state, productionize results and errors are read as the kernel sends them", () => {
  const messages = [
    { type: "state", state },
    {
      type: "productionize_result",
      request_id: "q1",
      ok: true,
      result: { run_id: "r1", model_name: "temp", version: 1, alias: "production", endpoint_url: "http://x/invocations", curl: "curl x" },
    },
    { type: "productionize_result", request_id: "q2", ok: false, error: { code: "GATE_FAILED", message: "denied", hint: "ask for a review" } },
    { type: "error", error: { code: "INVALID_INPUT", message: "invalid dw comm message" } },
  ];
  for (const m of messages) {
    const read = readKernelMessage(m);
    assert.ok(read.ok, `${m.type}: ${read.ok ? "" : read.problem}`);
    assert.deepEqual(read.message, m);
  }
});

test("a message that does not match the protocol is refused, naming the field and what was wrong", () => {
  const cases: [unknown, RegExp][] = [
    [
      { type: "state", state: { ...state, models: [{ ...state.models[0], versions: [{ version: "2" }] }] } },
      /^state\.models\.0\.versions\.0\.version: .*number/,
    ],
    [{ type: "state", state: { ...state, endpoints: [{ ...state.endpoints[0], live: "yes" }] } }, /^state\.endpoints\.0\.live: .*boolean/],
    [{ type: "state" }, /^state: /],
    [{ type: "productionize_result", request_id: "q1", ok: true }, /^result: /],
    [{ type: "hello" }, /^\(message\)|^type: /],
    ["state", /^\(message\): /],
  ];
  for (const [data, problem] of cases) {
    const read = readKernelMessage(data);
    assert.equal(read.ok, false, JSON.stringify(data));
    if (!read.ok) assert.match(read.problem, problem);
  }
});
