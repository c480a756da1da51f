import { test, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { score } from "./serverFixture.js";
import { startLoad, type LoadAnswer } from "./hotSwapLoad.js";

// Hot swap, as a client under load sees it: a real `dw serve` (started by deploy_model) answers
// concurrent 1-row and many-row requests on temp@production while deploy_model moves the alias
// v1 → v2 → v1 → v2 → v1 → v2. Every request must be a 200 with exactly one version's predictions
// for all its rows, and a request sent after a move returned must be answered by the version moved
// to. The two versions are models of different kinds (linear, tree), so they differ on every row.

const tw = await makeTempWorkspace("dw-hotswap-");
after(() => tw.cleanup());

const COLUMNS = ["precipitation", "temp_min", "wind"];
/** Rows spread over the inputs' ranges (precipitation 0–25, temp_min -5–20, wind 1–8). */
const ROWS = Array.from({ length: 40 }, (_, i) => [(i * 7) % 26, -5 + ((i * 11) % 26), 1 + ((i * 3) % 8) + 0.5]);
const BODIES = [
  JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [ROWS[3]] } }),
  JSON.stringify({ dataframe_split: { columns: COLUMNS, data: ROWS } }),
];
const MOVES = [2, 1, 2, 1, 2];
const CONCURRENCY = 8;
/** Answers the load must get between two moves, so each version serves traffic while the next move starts. */
const BETWEEN_MOVES = 40;

test("moving an alias back and forth under load answers every request, each wholly from one version, the new one once the move returned", {
  timeout: 180_000,
}, async () => {
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const linear = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: COLUMNS, algorithm: "linear_regression" }, ctx));
  const tree = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: COLUMNS, algorithm: "decision_tree", hyperparameters: { max_depth: 3 } },
      ctx,
    ),
  );
  ok(await runTool("register_model", { model_id: linear.run_id, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: tree.run_id, model_name: "temp" }, ctx));
  const base = ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "production" }, ctx)).server_url;
  // v2 passes its deploy gate on another alias first, so its pinned URL answers and gives its predictions.
  ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "staging" }, ctx));

  const expected = new Map<string, Map<number, unknown[]>>();
  for (const body of BODIES) {
    const byVersion = new Map<number, unknown[]>();
    for (const v of [1, 2]) {
      const r = await score(base, `/models/temp/${v}/invocations`, body);
      assert.equal(r.status, 200, r.text);
      byVersion.set(v, r.json.predictions);
    }
    const [p1, p2] = [byVersion.get(1)!, byVersion.get(2)!];
    assert.equal(p1.length, JSON.parse(body).dataframe_split.data.length);
    p1.forEach((p, i) => assert.notEqual(p, p2[i], `v1 and v2 predict the same for row ${i}: a mix could not be seen`));
    expected.set(body, byVersion);
  }
  /** The version whose predictions an answer is, wholly; null for anything else (an error, a mix). */
  const versionOf = (a: LoadAnswer): number | null => {
    for (const [v, p] of expected.get(a.body)!) if (a.predictions && JSON.stringify(a.predictions) === JSON.stringify(p)) return v;
    return null;
  };

  const load = startLoad(base, "/models/temp@production/invocations", BODIES, CONCURRENCY);
  const moves: { to: number; started: number; returned: number }[] = [];
  try {
    await load.moreAnswers(BETWEEN_MOVES);
    for (const to of MOVES) {
      const started = performance.now();
      const d = ok(await runTool("deploy_model", { model_name: "temp", version: to, alias: "production" }, ctx));
      moves.push({ to, started, returned: performance.now() });
      assert.equal(d.version, to);
      assert.equal(d.superseded_by, undefined);
      await load.moreAnswers(BETWEEN_MOVES);
    }
  } finally {
    await load.stop();
  }

  const answers = load.answers;
  const failed = answers.filter((a) => a.status !== 200);
  assert.deepEqual(
    failed.slice(0, 5).map((a) => `status ${a.status} ${a.error ?? ""}`),
    [],
    `${failed.length} of ${answers.length} requests were not answered 200`,
  );
  const mixed = answers.filter((a) => versionOf(a) === null);
  assert.equal(mixed.length, 0, `${mixed.length} answers are neither v1's nor v2's predictions, e.g. ${JSON.stringify(mixed[0]?.predictions)?.slice(0, 200)}`);
  // Each request sent after a move returned is the new version's, unless the next move had begun
  // before it was answered (the server may then resolve it after the next move's writes).
  for (const [i, move] of moves.entries()) {
    const until = moves[i + 1]?.started ?? Number.POSITIVE_INFINITY;
    const after = answers.filter((a) => a.started >= move.returned && a.ended < until);
    assert.ok(after.length >= BETWEEN_MOVES - CONCURRENCY, `move ${i + 1}: only ${after.length} requests were sent after it returned`);
    const stale = after.filter((a) => versionOf(a) !== move.to);
    assert.equal(
      stale.length,
      0,
      `move ${i + 1} to v${move.to}: ${stale.length} of ${after.length} requests sent after it returned were answered by another version`,
    );
  }
  // Each move happened under load: requests were sent while deploy_model ran.
  for (const [i, move] of moves.entries()) {
    const during = answers.filter((a) => a.started >= move.started && a.started < move.returned).length;
    assert.ok(during >= CONCURRENCY, `move ${i + 1}: only ${during} requests were sent while it ran`);
  }
  // Both kinds of body were sent, and traffic reached both versions.
  for (const body of BODIES) assert.ok(answers.some((a) => a.body === body));
  assert.deepEqual(new Set(answers.map(versionOf)), new Set([1, 2]));
  assert.deepEqual(ok(await runTool("get_model_versions", { model_name: "temp" }, ctx)).aliases, { production: 2, staging: 2 });
});
