import { test, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { err, ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { createRandom } from "../../../src/models/random.js";
import { rawRequest } from "./serverFixture.js";
import { armForKey, cumulativeShares } from "../../../src/monitoring/abtest/armForKey.js";

// A/B tests against a real dw serve (started by deploy_model, one worker per core) over real HTTP.
// The data follow a known relation: yes when x1 + x2 + noise > 0. v1 reads only x1 (about 75%
// right), v2 and v3 read both (about 90%; v3 is v2 trained again, the same model). Requests carry
// fresh points from the relation, never the training rows, and their labels come back through the
// feedback route.

const tw = await makeTempWorkspace("dw-abtest-");
after(() => tw.cleanup());

const rand = createRandom(20261214);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
/** A point of the relation and its true label. */
function point(): { x1: number; x2: number; label: "yes" | "no" } {
  const x1 = gauss();
  const x2 = gauss();
  return { x1, x2, label: x1 + x2 + 0.3 * gauss() > 0 ? "yes" : "no" };
}

let ctx: ToolContext;
let base: string;

test("setup: three versions of one classifier, v1 deployed at production and v2 at staging", { timeout: 120_000 }, async () => {
  const lines = ["x1,x2,label"];
  for (let i = 0; i < 2000; i++) {
    const p = point();
    lines.push(`${p.x1},${p.x2},${p.label}`);
  }
  await writeFile(join(tw.dir, "data", "relation.csv"), `${lines.join("\n")}\n`);
  // Every request logged (none sampled), so each label finds its request.
  await writeFile(join(tw.dir, "dw.policy.yaml"), "monitoring:\n  log:\n    full_rate_per_second: 1000000\n    flush_ms: 50\n");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/relation.csv", dataset_id: "relation" }, ctx));
  const weak = ok(await runTool("train_model", { dataset_id: "relation", target: "label", features: ["x1"], algorithm: "logistic_regression" }, ctx));
  const spec = { dataset_id: "relation", target: "label", features: ["x1", "x2"], algorithm: "logistic_regression" };
  const strong = ok(await runTool("train_model", spec, ctx));
  const again = ok(await runTool("train_model", spec, ctx));
  for (const r of [weak, strong, again]) ok(await runTool("register_model", { model_id: r.run_id, model_name: "ab" }, ctx));
  base = ok(await runTool("deploy_model", { model_name: "ab", version: 1, alias: "production" }, ctx)).server_url;
  ok(await runTool("deploy_model", { model_name: "ab", version: 2, alias: "staging" }, ctx));
});

interface Answer {
  id: string;
  version: number;
  key: string;
  labels: string[];
  predictions: string[];
}

/** One request of `rows` fresh points with an assignment key; its request id, the version that answered, and the true labels. */
async function ask(alias: string, key: string, rows: number): Promise<Answer> {
  const points = Array.from({ length: rows }, point);
  const r = await rawRequest(base, {
    method: "POST",
    path: `/models/ab@${alias}/invocations`,
    headers: { "Content-Type": "application/json", "X-Dw-Ab-Key": key },
    body: JSON.stringify({ dataframe_split: { columns: ["x1", "x2"], data: points.map((p) => [p.x1, p.x2]) } }),
  });
  assert.equal(r.status, 200, r.body);
  return {
    id: String(r.headers["x-request-id"]),
    version: Number(r.headers["x-dw-version"]),
    key,
    labels: points.map((p) => p.label),
    predictions: JSON.parse(r.body).predictions,
  };
}

/** Sends the true labels of the answers' rows to the feedback route. */
async function feedback(alias: string, answers: Answer[]): Promise<void> {
  const labels = answers.flatMap((a) => a.labels.map((label, row) => ({ request_id: a.id, row, label })));
  const r = await rawRequest(base, {
    method: "POST",
    path: `/models/ab@${alias}/feedback`,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ labels }),
  });
  assert.equal(r.status, 200, r.body);
}

/** ab_test_models status, once the log holds `requests` requests and `labelled` labelled rows (it is written in batches). */
async function statusWhen(alias: string, requests: number, labelled: number): Promise<Record<string, any>> {
  const end = Date.now() + 10_000;
  const sum = (s: Record<string, any>, k: string) => s.results.arms.reduce((n: number, a: Record<string, number>) => n + a[k], 0);
  for (;;) {
    const s = ok(await runTool("ab_test_models", { action: "status", model_name: "ab", alias }, ctx));
    if (sum(s, "requests") >= requests && sum(s, "labelled") >= labelled) return s;
    if (Date.now() > end)
      assert.fail(`the results hold ${sum(s, "requests")} requests and ${sum(s, "labelled")} labelled rows, not ${requests} and ${labelled}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a test with a known better arm: sticky by key, not enough data at first, then the better arm wins and promote moves the alias to it", {
  timeout: 120_000,
}, async () => {
  const started = ok(
    await runTool(
      "ab_test_models",
      {
        model_a_id: "ab/1",
        model_b_id: "ab/2",
        alias: "production",
        traffic_split: 0.5,
        metric: "accuracy",
        min_sample_size: 100,
        duration_hours: 24,
        assignment_seed: "ab-test-1",
      },
      ctx,
    ),
  );
  assert.equal(started.status, "running");
  assert.equal(started.splitting, true);
  assert.deepEqual(
    started.arms.map((a: { version: number; share: number }) => [a.version, a.share]),
    [
      [1, 0.5],
      [2, 0.5],
    ],
  );
  assert.equal(started.assignment.header, "X-Dw-Ab-Key");

  // 50 clients, three requests each: every client keeps its arm.
  const answers: Answer[] = [];
  for (let round = 0; round < 3; round++) for (let u = 0; u < 50; u++) answers.push(await ask("production", `user-${u}`, 4));
  const armOf = new Map<string, number>();
  for (const a of answers) {
    assert.ok(a.version === 1 || a.version === 2, `answered by v${a.version}`);
    assert.equal(armOf.get(a.key) ?? a.version, a.version, `${a.key} was answered by two versions`);
    armOf.set(a.key, a.version);
  }
  const onV2 = [...armOf.values()].filter((v) => v === 2).length;
  assert.ok(onV2 >= 10 && onV2 <= 40, `${onV2} of 50 clients on v2`);
  // The seed makes the assignment replayable: each key's arm is its hash with the seed, in every worker.
  for (const [key, version] of armOf) assert.equal(version, 1 + armForKey(cumulativeShares([0.5, 0.5]), "ab-test-1", key), key);

  // Before any label: not enough data, never a winner.
  const early = await statusWhen("production", answers.length, 0);
  assert.equal(early.results.decision.kind, "not_enough_data");
  assert.equal(early.results.decision.winner, null);
  const requests = early.results.arms.reduce((n: number, a: { requests: number }) => n + a.requests, 0);
  assert.equal(requests, answers.length);

  await feedback("production", answers);
  const s = await statusWhen("production", answers.length, answers.length * 4);
  const [v1, v2] = s.results.arms;
  assert.ok(v2.metric > v1.metric + 0.05, `accuracy v1 ${v1.metric}, v2 ${v2.metric}`);
  // The logged metric is what the answers say: v2's share of right answers among its rows.
  const right = answers.filter((a) => a.version === 2).flatMap((a) => a.predictions.map((p, i) => p === a.labels[i]));
  assert.equal(v2.metric, right.filter(Boolean).length / right.length);
  assert.ok(v1.latency_ms.p99 >= v1.latency_ms.p50 && v1.latency_ms.p50 > 0);
  assert.equal(v1.predictions.kind, "class");
  assert.equal(s.results.decision.kind, "winner", s.results.decision.message);
  assert.equal(s.results.decision.winner, 2);
  assert.ok(s.results.comparisons[0].p_value < 0.05);

  const promoted = ok(await runTool("ab_test_models", { action: "promote", model_name: "ab", alias: "production" }, ctx));
  assert.equal(promoted.status, "promoted");
  assert.equal(promoted.deployed_version, 2);
  assert.equal(ok(await runTool("get_model_versions", { model_name: "ab" }, ctx)).aliases.production, 2);
  // Every client now gets v2, whatever its key.
  for (let u = 0; u < 20; u++) assert.equal((await ask("production", `user-${u}`, 1)).version, 2);
  // Start and promote, each a commit (and a promote cannot run twice).
  assert.equal(err(await runTool("ab_test_models", { action: "promote", model_name: "ab", alias: "production" }, ctx)).code, "NOT_FOUND");
});

test("equal arms (v2 and its retrained twin): no winner over repeated looks; the weights are respected; stop leaves the alias on its version", {
  timeout: 120_000,
}, async () => {
  const started = ok(
    await runTool(
      "ab_test_models",
      { model_a_id: "ab@staging", model_b_id: "ab/3", alias: "staging", traffic_split: 0.8, min_sample_size: 50, assignment_seed: "ab-test-2" },
      ctx,
    ),
  );
  assert.deepEqual(
    started.arms.map((a: { version: number }) => a.version),
    [2, 3],
  );
  // get_ml_status (and so the sidebar) shows the running test's arms and shares.
  const status = ok(await runTool("get_ml_status", { model_id: "ab@staging" }, ctx));
  assert.deepEqual(
    status.deployments[0].ab_test?.arms.map((a: { version: number; share: number }) => [a.version, Math.round(a.share * 1e9) / 1e9]),
    [
      [2, 0.8],
      [3, 0.2],
    ],
  );
  assert.equal(status.deployments[0].ab_test?.splitting, true);
  assert.match(status.text, /A\/B v2 80% \/ v3 20% on/);
  const all: Answer[] = [];
  let looks = 0;
  for (let batch = 0; batch < 8; batch++) {
    const answers: Answer[] = [];
    for (let u = 0; u < 40; u++) answers.push(await ask("staging", `client-${batch}-${u}`, 3));
    await feedback("staging", answers);
    all.push(...answers);
    const s = await statusWhen("staging", all.length, all.length * 3);
    looks++;
    assert.notEqual(s.results.decision.kind, "winner", `look ${looks}: ${s.results.decision.message}`);
    if (batch === 7) assert.equal(s.results.decision.kind, "no_winner_yet", s.results.decision.message);
  }
  // 320 distinct keys at 80/20.
  const onA = all.filter((a) => a.version === 2).length / all.length;
  assert.ok(onA > 0.7 && onA < 0.9, `v2 answered ${onA} of the requests at a split of 0.8`);

  // A running test keeps its seed: another would move clients between arms mid-test.
  const reseeded = err(
    await runTool("ab_test_models", { model_a_id: "ab@staging", model_b_id: "ab/3", alias: "staging", traffic_split: 0.8, assignment_seed: "other" }, ctx),
  );
  assert.equal(reseeded.code, "INVALID_INPUT");
  assert.equal(reseeded.details?.field, "assignment_seed");
  assert.match(reseeded.message, /running with assignment_seed 'ab-test-2'/);
  const stopped = ok(await runTool("ab_test_models", { action: "stop", model_name: "ab", alias: "staging" }, ctx));
  assert.equal(stopped.status, "stopped");
  assert.equal(stopped.ended.winner, null);
  for (let u = 0; u < 10; u++) assert.equal((await ask("staging", `client-7-${u}`, 1)).version, 2);
  assert.equal(ok(await runTool("get_model_versions", { model_name: "ab" }, ctx)).aliases.staging, 2);
  assert.equal(ok(await runTool("get_ml_status", { model_id: "ab@staging" }, ctx)).deployments[0].ab_test, null, "a stopped test is no longer shown");
});
