import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runTool, type ToolContext } from "../../../src/index.js";
import { GetMlStatusOutput } from "../../../src/tools/getMlStatus.js";
import { WorkspaceState } from "../../../src/comm/protocol.js";
import { createRandom } from "../../../src/models/random.js";
import { err, ok } from "../../helpers/results.js";
import { repoRoot, stopWorkspaceServer } from "../../helpers/tempWorkspace.js";
import { servedWorkspace, score, TEMP_ROW, type ServedWorkspace } from "../server/serverFixture.js";

// get_ml_status against a real workspace and the real dw serve deploy_model started: the records
// (versions, since, gates, overrides), the traffic the server measured for requests this test
// sent, the forms of model_id, and a training running in another process.

let sw: ServedWorkspace;
let ctx: ToolContext;

before(async () => {
  sw = await servedWorkspace();
  ctx = sw.ctx;
  // A second deployment of temp v1, past a governance gate that fails (r2 is never 0.9999), with an override.
  await writeFile(join(sw.tw.dir, "dw.policy.yaml"), "governance:\n  deployment:\n    min_metrics:\n      regression: { r2: 0.9999 }\n");
  assert.equal(err(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "staging" }, ctx)).code, "GATE_FAILED");
  ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "staging", override_reason: "a load test needs it before the review" }, ctx));
  await rm(join(sw.tw.dir, "dw.policy.yaml"));
  // temp v2 is registered from the same run and served by no alias.
  ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "temp" }, ctx));
});
after(async () => sw.tw.cleanup());

async function status(modelId?: string): Promise<GetMlStatusOutput> {
  return GetMlStatusOutput.parse(ok(await runTool("get_ml_status", modelId === undefined ? {} : { model_id: modelId }, ctx)));
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: sw.tw.dir, encoding: "utf8" });
const recorded = (ref: string, path: string) => JSON.parse(git("show", `${ref}:${path}`));

test("every deployment is listed with its version, since when (from its deployment commit), and the gates recorded in its commits", async () => {
  const s = await status();
  assert.equal(s.scope, "everything");
  assert.deepEqual(
    s.deployments.map((d) => `${d.model}@${d.alias} v${d.version}`),
    ["temp@production v1", "temp@staging v1", "tw@production v1"],
  );
  for (const d of s.deployments) {
    const ref = `refs/dw/deployments/${d.model}/${d.alias}`;
    assert.equal(d.deployment_commit, git("rev-parse", ref).trim());
    assert.equal(d.since, recorded(ref, "deployment.json").deployed_at);
    assert.equal(d.run_id, d.model === "temp" ? sw.runs.temp : sw.runs.weatherTree);
    // The deploy gate's report from the deployment commit, the training gates' from the run commit.
    const governance = recorded(ref, "gates/governance.json");
    const deployGates = d.gates.filter((g) => g.step === "deploy");
    assert.deepEqual(
      deployGates.map((g) => [g.gate, g.status, g.decision, g.summary]),
      [["governance", governance.status, governance.decision, governance.summary]],
    );
    const run = `refs/dw/runs/${d.run_id}`;
    assert.deepEqual(
      d.gates.filter((g) => g.step === "training").map((g) => [g.gate, g.status, g.summary]),
      ["quality", "governance", "cost"].map((gate) => {
        const r = recorded(run, `gates/${gate}.json`);
        return [gate, r.status, r.summary];
      }),
    );
    assert.deepEqual(d.monitoring.state, "waiting_for_data", "deploy_model starts monitoring; no request was logged yet");
    assert.equal(d.answers, true, d.answers_note);
  }
  const production = s.deployments.find((d) => d.model === "temp" && d.alias === "production")!;
  assert.deepEqual(production.overrides, []);
  assert.equal(production.gates.find((g) => g.step === "deploy")?.decision, "allow");
  // The override: who and why, as recorded, and the gate it let pass, with its failing finding.
  const staging = s.deployments.find((d) => d.alias === "staging")!;
  const override = recorded("refs/dw/deployments/temp/staging", "gates/override.json");
  assert.deepEqual(staging.overrides, [
    { step: "deploy", by: override.by, reason: "a load test needs it before the review", at: override.at, gates: ["governance"] },
  ]);
  const gate = staging.gates.find((g) => g.step === "deploy")!;
  assert.equal(gate.decision, "deny");
  assert.equal(gate.status, "fail");
  assert.match(gate.findings.map((f) => f.message).join(" "), /r2/);
  assert.match(s.text, /temp@staging v1 since .* deploy override of governance by .*: a load test needs it before the review/);
  assert.match(s.text, /monitoring: waiting for data/);
});

test("'since' is when the alias began serving the version: a redeploy of the same version keeps it, a new version resets it; an undeployed alias is gone", async () => {
  const before = (await status("tw@production")).deployments[0];
  ok(await runTool("deploy_model", { model_name: "tw", version: 1, alias: "production" }, ctx));
  const again = (await status("tw@production")).deployments[0];
  assert.notEqual(again.deployment_commit, before.deployment_commit);
  assert.equal(again.since, before.since);

  ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "canary" }, ctx));
  const first = (await status("temp@canary")).deployments[0];
  ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "canary" }, ctx));
  const moved = (await status("temp@canary")).deployments[0];
  assert.equal(moved.version, 2);
  assert.equal(moved.since, recorded("refs/dw/deployments/temp/canary", "deployment.json").deployed_at);
  assert.ok(moved.since! > first.since!, `${moved.since} after ${first.since}`);

  ok(await runTool("undeploy_model", { model_name: "temp", alias: "canary" }, ctx));
  assert.deepEqual(
    (await status()).deployments.map((d) => `${d.model}@${d.alias}`),
    ["temp@production", "temp@staging", "tw@production"],
  );
  assert.equal(err(await runTool("get_ml_status", { model_id: "temp@canary" }, ctx)).code, "NOT_FOUND");
});

test("model_id takes name@alias, name/version, a run id or a model name; a bad one is a clear error naming model_id", async () => {
  const names = async (id: string) => (await status(id)).deployments.map((d) => `${d.model}@${d.alias}`);
  assert.deepEqual(await names("temp@staging"), ["temp@staging"]);
  assert.deepEqual(await names("temp/1"), ["temp@production", "temp@staging"]);
  assert.deepEqual(await names(sw.runs.weatherTree), ["tw@production"]);
  assert.deepEqual(await names("temp"), ["temp@production", "temp@staging"]);
  assert.equal((await status("temp@staging")).scope, "temp@staging");

  const v2 = await status("temp/2");
  assert.deepEqual(v2.deployments, []);
  assert.deepEqual(v2.notes, ["temp v2 is registered but no alias serves it."]);
  // A model_id names deployments; trainings and traffic of others are listed only for everything.
  assert.deepEqual(v2.trainings, []);
  assert.deepEqual(v2.other_traffic, []);

  const cases: [string, string, RegExp][] = [
    ["temp@canary", "NOT_FOUND", /temp@canary is not deployed/],
    ["nosuch@production", "NOT_FOUND", /No registered model named 'nosuch'/],
    ["temp/9", "NOT_FOUND", /no version 9/],
    ["temp/0", "INVALID_INPUT", /not a whole number/],
    ["temp/latest", "INVALID_INPUT", /not a whole number/],
    ["nosuch", "NOT_FOUND", /No registered model or run is named 'nosuch'/],
    ["20990101-000000-abcdef", "NOT_FOUND", /No registered model or run/],
    ["a@b@c", "INVALID_INPUT", /not a model name, name@alias, name\/version or run id/],
    ["temp@1x", "INVALID_INPUT", /not a valid alias/],
  ];
  for (const [id, code, message] of cases) {
    const e = err(await runTool("get_ml_status", { model_id: id }, ctx));
    assert.equal(e.code, code, `${id}: ${e.message}`);
    assert.match(e.message, message, id);
    assert.deepEqual(e.details?.field, "model_id", id);
  }
  const hint = err(await runTool("get_ml_status", { model_id: "temp@canary" }, ctx)).hint ?? "";
  assert.match(hint, /@production, @staging/);
});

test("the traffic per deployment is what the server measured for the requests sent to it", async () => {
  const base = sw.base;
  const rows = [1, 1, 3, 1, 2];
  for (const n of rows) {
    const r = await score(base, "/models/temp@production/invocations", {
      dataframe_split: { columns: TEMP_ROW.dataframe_split.columns, data: Array.from({ length: n }, () => TEMP_ROW.dataframe_split.data[0]) },
    });
    assert.equal(r.status, 200, r.text);
  }
  // Two requests the model refuses (a column is missing): client errors of that endpoint.
  for (let i = 0; i < 2; i++) {
    const r = await score(base, "/models/temp@production/invocations", { dataframe_split: { columns: ["precipitation"], data: [[0]] } });
    assert.equal(r.status, 400, r.text);
  }
  for (let i = 0; i < 3; i++) {
    const r = await score(base, "/models/tw@production/invocations", {
      dataframe_records: [{ precipitation: 0, temp_min: 5, wind: 3, weather: "sun" }],
    });
    assert.equal(r.status, 200, r.text);
  }
  // A pinned version belongs to no deployment: it is other traffic.
  assert.equal((await score(base, "/models/temp/1/invocations", TEMP_ROW)).status, 200);

  const s = await status();
  assert.equal(s.server.traffic, "measured", s.server.note);
  assert.equal(s.server.url, base);
  const traffic = (model: string, alias: string) => s.deployments.find((d) => d.model === model && d.alias === alias)!.traffic;
  const [temp] = traffic("temp", "production");
  assert.deepEqual(
    [temp.version, temp.protocol, temp.requests, temp.client_errors, temp.server_errors, temp.rows],
    [1, "mlflow", rows.length + 2, 2, 0, rows.reduce((a, b) => a + b, 0)],
  );
  assert.equal(traffic("temp", "production").length, 1);
  const [tw] = traffic("tw", "production");
  assert.deepEqual([tw.requests, tw.client_errors, tw.server_errors, tw.rows], [3, 0, 0, 3]);
  assert.deepEqual(traffic("temp", "staging"), []);
  for (const t of [temp, tw]) {
    assert.ok(t.p50_ms !== null && t.p99_ms !== null && t.p50_ms > 0 && t.p50_ms <= t.p99_ms, JSON.stringify(t));
    assert.ok(t.window_requests > 0 && t.window_requests <= t.requests);
  }
  assert.deepEqual(
    s.other_traffic.map((t) => [t.model_name, t.alias, t.version, t.requests]),
    [["temp", null, 1, 1]],
  );
  // Asking whether each endpoint answers (its metadata) is no traffic of its own.
  const again = await status();
  assert.equal(again.deployments.find((d) => d.model === "temp" && d.alias === "production")!.traffic[0].requests, rows.length + 2);
  assert.match(again.text, /temp@production v1 .*\n {2}v1 mlflow: 7 requests, 2 client errors \(4xx\), 0 server errors \(5xx\), 8 rows/);
  // The sidebar's state carries the same rows, per endpoint, at the version it serves.
  const state = WorkspaceState.parse(ok(await runTool("get_workspace_state", {}, ctx)));
  const endpoint = state.endpoints.find((e) => e.model === "temp" && e.alias === "production")!;
  const counts = (rows: typeof endpoint.traffic) => rows?.map((t) => [t.version, t.protocol, t.requests, t.client_errors, t.server_errors, t.rows]);
  assert.deepEqual(counts(endpoint.traffic), counts(traffic("temp", "production")));
  assert.deepEqual(state.endpoints.find((e) => e.alias === "staging")!.traffic, []);
});

test("a training that fails is listed with its stage and error; one that succeeds leaves nothing behind", async () => {
  assert.deepEqual((await status()).trainings, [], "the fixture's trainings finished and left no record");
  const e = err(await runTool("train_model", { dataset_id: "weather", target: "no_such_column" }, ctx));
  const [t] = (await status()).trainings;
  assert.ok(t, "the failed training is listed");
  assert.deepEqual(
    [t.tool, t.dataset_id, t.target, t.state, t.stage, t.pid],
    ["train_model", "weather", "no_such_column", "failed", "loading data", process.pid],
  );
  assert.deepEqual(t.error, { code: e.code, message: e.message });
  await rm(join(sw.tw.dir, ".dw", "trainings"), { recursive: true });
});

test("a training running in another process shows its stage and progress, and once killed, that it was interrupted", { timeout: 120_000 }, async () => {
  // Big enough that a forest of 2000 trees takes far longer than the polls below.
  const rand = createRandom(11);
  const lines = ["a,b,c,d,y"];
  for (let i = 0; i < 50_000; i++) {
    const [a, b, c, d] = [rand(), rand(), rand(), rand()];
    lines.push(`${a},${b},${c},${d},${Math.sin(6 * a) + b * c + 0.1 * d}`);
  }
  await writeFile(join(sw.tw.dir, "data", "big.csv"), lines.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/big.csv", dataset_id: "big" }, ctx));
  const input = { dataset_id: "big", target: "y", algorithm: "random_forest", hyperparameters: { n_estimators: 2000 } };
  const child = spawn(
    process.execPath,
    [join(repoRoot, "dist", "src", "cli", "main.js"), "train_model", "--json", JSON.stringify(input), "--workspace", sw.tw.dir],
    {
      stdio: "ignore",
    },
  );
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  try {
    const seen: string[] = [];
    let fitting: GetMlStatusOutput["trainings"][number] | undefined;
    const deadline = Date.now() + 90_000;
    while (!fitting && Date.now() < deadline) {
      const s = await status();
      const t = s.trainings.find((x) => x.pid === child.pid);
      if (t && !seen.includes(t.stage)) seen.push(t.stage);
      if (t?.stage === "fitting" && t.progress && t.progress.done > 0) fitting = t;
      else await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(fitting, `the training was seen fitting with progress; stages seen: ${seen.join(", ")}`);
    assert.deepEqual(
      [fitting.tool, fitting.dataset_id, fitting.target, fitting.algorithm, fitting.state],
      ["train_model", "big", "y", "random_forest", "running"],
    );
    assert.equal(fitting.progress?.total, 2000);
    assert.match(fitting.progress?.message ?? "", /^random_forest: \d+ of 2000 trees built$/);
    const state = WorkspaceState.parse(ok(await runTool("get_workspace_state", {}, ctx)));
    assert.deepEqual(
      state.trainings?.map((t) => [t.pid, t.state]),
      [[child.pid, "running"]],
    );
    const s = await status();
    assert.match(
      s.text,
      new RegExp(`training train_model random_forest on big → y: running, fitting, random_forest: \\d+ of 2000 trees built \\(pid ${child.pid}`),
    );
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
  const [killed] = (await status()).trainings.filter((x) => x.pid === child.pid);
  assert.equal(killed.state, "interrupted");
  assert.equal(killed.stage, "fitting");
  assert.equal(killed.error?.code, "INTERRUPTED");
  assert.match(killed.error?.message ?? "", /stopped without finishing while fitting \(process \d+ has ended\)/);
  // The sidebar lists only trainings that run.
  assert.deepEqual(WorkspaceState.parse(ok(await runTool("get_workspace_state", {}, ctx))).trainings, []);
});

test("without a running server, deployments are listed from the records and the traffic says why it is missing", async () => {
  await stopWorkspaceServer(sw.tw.dir);
  const deadline = Date.now() + 10_000;
  let s = await status();
  while (s.server.url !== null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    s = await status();
  }
  assert.deepEqual(s.server, {
    url: null,
    started_at: null,
    traffic: "not_running",
    note: "dw serve is not running, so there is no traffic to report; deploy_model starts it.",
  });
  assert.equal(s.deployments.length, 3);
  for (const d of s.deployments) {
    assert.equal(d.answers, null);
    assert.deepEqual(d.traffic, []);
    assert.ok(d.gates.length > 0);
  }
  assert.match(s.text, /dw serve not running/);
});
