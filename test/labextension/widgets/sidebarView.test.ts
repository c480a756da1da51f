import { test } from "node:test";
import assert from "node:assert/strict";
import { sidebarView } from "../../../labextension/src/widgets/sidebarView.js";
import { formatMetric } from "../../../labextension/src/widgets/formatMetric.js";
import type { WorkspaceState } from "../../../src/comm/protocol.js";

const state: WorkspaceState = {
  workspace: "/home/ann/project",
  server: { url: "http://127.0.0.1:5001", live: true },
  models: [
    {
      name: "temp",
      aliases: { production: 1, staging: 3 },
      versions: [
        {
          version: 1,
          run_id: "r1",
          created_at: "2024-04-01T10:00:00Z",
          algorithm: "linear_regression",
          metrics: { r2: 0.8123456, rmse: 1234.5 },
          aliases: ["production"],
        },
        { version: 3, run_id: "r3", created_at: "2024-06-01T10:00:00Z", algorithm: "random_forest", metrics: { r2: 1 }, aliases: ["staging", "canary"] },
        { version: 2, run_id: "", created_at: "", aliases: [], error: "refs/dw/models/temp/2 is damaged" },
      ],
    },
  ],
  endpoints: [
    {
      model: "temp",
      alias: "production",
      version: 1,
      invocations_url: "http://127.0.0.1:5001/models/temp@production/invocations",
      live: true,
      curl: "curl from the kernel",
    },
    { model: "temp", alias: "staging", version: 3, invocations_url: "http://127.0.0.1:5001/models/temp@staging/invocations", live: true },
    { model: "wind", alias: "production", version: 1, invocations_url: "", live: false },
  ],
};

test("without a dw kernel, or before its first state, the sidebar shows a notice saying why", () => {
  const none = new Map<string, string>();
  assert.deepEqual(sidebarView({ kind: "no-notebook" }, null, none), {
    kind: "notice",
    headline: "No notebook is active.",
    detail: "Open a notebook with the TypeScript (dw) kernel",
    error: false,
  });
  assert.equal(
    sidebarView({ kind: "other-kernel", kernelDisplayName: "Python 3" }, state, none).kind,
    "notice",
    "another kernel's notebook shows no stale state",
  );
  assert.match(JSON.stringify(sidebarView({ kind: "other-kernel", kernelDisplayName: "Python 3" }, null, none)), /This notebook's kernel is Python 3\./);
  assert.match(JSON.stringify(sidebarView({ kind: "other-kernel", kernelDisplayName: "" }, null, none)), /This notebook has no kernel yet\./);
  assert.deepEqual(sidebarView({ kind: "failed", message: "The kernel closed the comm." }, state, none), {
    kind: "notice",
    headline: "No connection to the dw kernel.",
    detail: "The kernel closed the comm.",
    error: true,
  });
  assert.match(JSON.stringify(sidebarView({ kind: "connecting" }, null, none)), /Connecting to the dw kernel…/);
  assert.match(JSON.stringify(sidebarView({ kind: "connected" }, null, none)), /Waiting for the kernel's state…/);
  // A kernel that restarts keeps showing its last state while it reconnects.
  assert.equal(sidebarView({ kind: "connecting" }, state, none).kind, "state");
});

test("the state: the server, each endpoint with the best curl there is, each model with its versions newest first", () => {
  const view = sidebarView({ kind: "connected" }, state, new Map([["temp@staging", "curl from Productionize"]]));
  assert.equal(view.kind, "state");
  if (view.kind !== "state") return;
  assert.equal(view.workspace, "/home/ann/project");
  assert.deepEqual(view.server, { live: true, text: "dw serve http://127.0.0.1:5001 (live)" });
  assert.deepEqual(
    view.endpoints.map((e) => [e.key, e.version, e.live, e.curl]),
    [
      ["temp@production", "v1", true, "curl from the kernel"],
      ["temp@staging", "v3", true, "curl from Productionize"],
      ["wind@production", "v1", false, view.endpoints[2].curl],
    ],
  );
  // Neither the kernel nor this session has a curl for it: a template naming its URL.
  assert.match(view.endpoints[2].curl, /^curl -X POST '' .*dataframe_split/);
  const [temp] = view.models;
  assert.deepEqual(temp.aliases, ["@production → v1", "@staging → v3"]);
  assert.deepEqual(
    temp.versions.map((v) => [v.version, v.algorithm, v.runId, v.aliases]),
    [
      [3, "random_forest", "r3", "@staging @canary"],
      [2, "", "", ""],
      [1, "linear_regression", "r1", "@production"],
    ],
  );
  assert.equal(temp.versions[2].runTitle, "run r1, 2024-04-01T10:00:00Z");
  assert.deepEqual(temp.versions[2].metrics, [
    { text: "r2 0.812", title: "0.8123456" },
    { text: "rmse 1234.5", title: "1234.5" },
  ]);
  assert.deepEqual(temp.versions[0].metrics, [{ text: "r2 1", title: "1" }]);
});

test("without a server the endpoints are down and the sidebar says dw serve is not started", () => {
  const view = sidebarView({ kind: "connected" }, { ...state, server: null }, new Map());
  assert.ok(view.kind === "state");
  assert.deepEqual(view.server, { live: false, text: "dw serve not started" });
});

test("each endpoint shows the traffic the server measured at its version, and running trainings show their stage and progress", () => {
  const traffic = {
    model_name: "temp",
    version: 1,
    alias: "production",
    requests: 1204,
    client_errors: 2,
    server_errors: 1,
    rows: 1500,
    first_request_at: "2024-06-01T10:00:00Z",
    last_request_at: "2024-06-01T11:00:00Z",
    window_seconds: 60,
    window_requests: 1000,
    p50_ms: 0.8123,
    p99_ms: 12.34,
  };
  const measured: WorkspaceState = {
    ...state,
    endpoints: [
      { ...state.endpoints[0], traffic: [{ ...traffic, protocol: "mlflow" }] },
      { ...state.endpoints[1], traffic: [] },
      {
        ...state.endpoints[2],
        traffic: [
          { ...traffic, protocol: "mlflow", requests: 1, client_errors: 0, server_errors: 0, window_requests: 0, p50_ms: null, p99_ms: null },
          { ...traffic, protocol: "oip" },
        ],
      },
    ],
    trainings: [
      {
        id: "123-ab",
        tool: "train_model",
        dataset_id: "big",
        target: "y",
        algorithm: "random_forest",
        pid: 123,
        started_at: "2024-06-01T10:00:00Z",
        updated_at: "2024-06-01T10:01:00Z",
        state: "running",
        stage: "fitting",
        progress: { message: "random_forest: 40 of 100 trees built", done: 40, total: 100 },
      },
      {
        id: "124-cd",
        tool: "select_model",
        dataset_id: "big",
        target: "y",
        pid: 124,
        started_at: "2024-06-01T10:00:00Z",
        updated_at: "2024-06-01T10:00:00Z",
        state: "running",
        stage: "loading data",
        progress: null,
      },
    ],
  };
  const view = sidebarView({ kind: "connected" }, measured, new Map());
  assert.ok(view.kind === "state");
  assert.deepEqual(
    view.endpoints.map((e) => e.traffic.map((t) => t.text)),
    [
      ["1,204 requests · 3 errors · p50 0.81 ms · p99 12.3 ms"],
      ["no requests yet"],
      ["mlflow: 1 request · 0 errors", "oip: 1,204 requests · 3 errors · p50 0.81 ms · p99 12.3 ms"],
    ],
  );
  assert.equal(
    view.endpoints[0].traffic[0].title,
    "mlflow, since 2024-06-01T10:00:00Z: 1,204 requests (2 answered 4xx, 1 answered 5xx), 1,500 rows scored; p50 and p99 over the last 1,000 requests (60 s)",
  );
  assert.deepEqual(view.trainings, [
    { key: "123-ab", title: "train_model random_forest · big → y", detail: "fitting · random_forest: 40 of 100 trees built" },
    { key: "124-cd", title: "select_model · big → y", detail: "loading data" },
  ]);
  // A state without traffic (no server, or one without /status) shows none, and no trainings.
  const plain = sidebarView({ kind: "connected" }, state, new Map());
  assert.ok(plain.kind === "state");
  assert.deepEqual(
    plain.endpoints.map((e) => e.traffic),
    [[], [], []],
  );
  assert.deepEqual(plain.trainings, []);
});

test("metrics read short: three significant digits, one decimal from 100 up, integers and non-finite values as they are", () => {
  assert.equal(formatMetric(0.8123456), "0.812");
  assert.equal(formatMetric(-0.0001234), "-0.000123");
  assert.equal(formatMetric(1234.56), "1234.6");
  assert.equal(formatMetric(42), "42");
  assert.equal(formatMetric(Number.NaN), "NaN");
  assert.equal(formatMetric(Number.POSITIVE_INFINITY), "Infinity");
});
