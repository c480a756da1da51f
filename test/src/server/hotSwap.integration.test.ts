import { test, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { runTool } from "../../../src/index.js";
import { deployTwoVersions, startLoad } from "./hotSwapLoad.js";

// Hot swap, as a client under load sees it: a real `dw serve` (started by deploy_model) answers
// concurrent 1-row and many-row requests on temp@production while deploy_model moves the alias
// v1 → v2 → v1 → v2 → v1 → v2. Every request must be a 200 with exactly one version's predictions
// for all its rows, and a request sent after a move returned must be answered by the version moved
// to. The two versions are models of different kinds (linear, tree), so they differ on every row.

const tw = await makeTempWorkspace("dw-hotswap-");
after(() => tw.cleanup());

const MOVES = [2, 1, 2, 1, 2];
const CONCURRENCY = 8;
/** Answers the load must get between two moves, so each version serves traffic while the next move starts. */
const BETWEEN_MOVES = 40;

test("moving an alias back and forth under load answers every request, each wholly from one version, the new one once the move returned", {
  timeout: 180_000,
}, async () => {
  const { ctx, base, bodies, versionOf } = await deployTwoVersions(tw.dir);

  const load = startLoad(base, "/models/temp@production/invocations", bodies, CONCURRENCY);
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
  for (const body of bodies) assert.ok(answers.some((a) => a.body === body));
  assert.deepEqual(new Set(answers.map(versionOf)), new Set([1, 2]));
  assert.deepEqual(ok(await runTool("get_model_versions", { model_name: "temp" }, ctx)).aliases, { production: 2, staging: 2 });
});
