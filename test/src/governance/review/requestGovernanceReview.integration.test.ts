import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../../src/index.js";
import { ok, err } from "../../../helpers/results.js";
import { readReviews } from "../../../../src/governance/review/readReviews.js";
import { defaultReviewer } from "../../../../src/governance/review/recordReview.js";
import { renderResultHtml } from "../../../../src/tools/renderResultHtml.js";

let tw: TempWorkspace;
let ctx: ToolContext;
const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });

before(async () => {
  tw = await makeTempWorkspace();
  let t = Date.parse("2026-03-02T09:00:00Z");
  // A clock that moves a minute per call, so each review has its own time.
  ctx = { ...(await createToolContext({ cwd: tw.dir, origin: { via: "test" } })), now: () => new Date((t += 60_000)) };
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"] }, ctx));
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "temp" }, ctx));
});
after(async () => tw.cleanup());

test("each review is a commit whose parent is the previous one; git log tells who, when, why", async () => {
  const first = ok(
    await runTool(
      "request_governance_review",
      {
        model_name: "temp",
        version: 1,
        decision: "approve",
        alias: "production",
        reason: "Backtest on 2015 is within 1.5 degrees",
        reviewer: "Alice <alice@example.com>",
      },
      ctx,
    ),
  );
  assert.equal(first.ref, "refs/dw/reviews/temp/1");
  assert.equal(first.previous_reviews, 0);
  assert.match(first.reviewed_at, /^2026-03-02T09:\d\d:00\.000Z$/);
  const second = ok(
    await runTool(
      "request_governance_review",
      { model_name: "temp", version: 1, decision: "reject", reason: "Wind sensor was recalibrated in 2016", reviewer: "Bob" },
      ctx,
    ),
  );
  assert.equal(second.previous_reviews, 1);

  assert.equal(git("rev-parse", "refs/dw/reviews/temp/1").trim(), second.commit);
  assert.equal(git("rev-parse", `${second.commit}^`).trim(), first.commit);
  const log = git("log", "--format=%s%n%b%n--", "refs/dw/reviews/temp/1");
  assert.match(log, /dw review temp v1: rejected by Bob\nWind sensor was recalibrated in 2016/);
  assert.match(log, /dw review temp v1: approved for production by Alice <alice@example\.com>\nBacktest on 2015/);
  assert.match(log, /Dw-Decision: approve/);
  const saved = JSON.parse(git("show", `${first.commit}:review.json`));
  assert.equal(saved.reviewer, "Alice <alice@example.com>");
  assert.equal(saved.alias, "production");
  assert.equal(saved.model_commit, git("rev-parse", "refs/dw/models/temp/1").trim());
  // The commit's own time is the review's time.
  assert.equal(Number(git("log", "-1", "--format=%ct", first.commit).trim()) * 1000, Date.parse(first.reviewed_at));

  const reviews = await readReviews(ctx.workspace, "temp", 1);
  assert.deepEqual(
    reviews.map((r) => r.review.decision),
    ["reject", "approve"],
  );
  assert.match(renderResultHtml("request_governance_review", second) ?? "", /Rejected/);
  // The user's branch is untouched: reviews live only under refs/dw.
  assert.throws(() => git("rev-parse", "--verify", "-q", "HEAD"));
});

test("the reviewer defaults to DW_USER, else git's user.name and email", async () => {
  assert.equal(await defaultReviewer(ctx.workspace, { DW_USER: "ci-bot" }), "ci-bot");
  git("config", "user.name", "Dana Reviewer");
  git("config", "user.email", "dana@example.com");
  assert.equal(await defaultReviewer(ctx.workspace, {}), "Dana Reviewer <dana@example.com>");
  const prev = process.env.DW_USER;
  delete process.env.DW_USER;
  try {
    const r = ok(
      await runTool("request_governance_review", { model_name: "temp", version: 1, decision: "approve", reason: "Re-approved after the sensor check" }, ctx),
    );
    assert.equal(r.reviewer, "Dana Reviewer <dana@example.com>");
  } finally {
    if (prev !== undefined) process.env.DW_USER = prev;
  }
});

test("unknown model or version: NOT_FOUND naming what there is; a short reason is refused; nothing is written", async () => {
  const before = git("for-each-ref", "refs/dw/reviews");
  const m = err(await runTool("request_governance_review", { model_name: "tmp", version: 1, decision: "approve", reason: "looks fine to me" }, ctx));
  assert.equal(m.code, "NOT_FOUND");
  assert.match(m.hint!, /Registered models: temp/);
  const v = err(await runTool("request_governance_review", { model_name: "temp", version: 4, decision: "approve", reason: "looks fine to me" }, ctx));
  assert.equal(v.code, "NOT_FOUND");
  assert.match(v.hint!, /Its versions: 1\./);
  const r = err(await runTool("request_governance_review", { model_name: "temp", version: 1, decision: "approve", reason: "ok" }, ctx));
  assert.equal(r.code, "INVALID_INPUT");
  assert.match(r.message, /reason/);
  const a = err(
    await runTool("request_governance_review", { model_name: "temp", version: 1, decision: "approve", alias: "1bad", reason: "looks fine to me" }, ctx),
  );
  assert.equal(a.code, "INVALID_INPUT");
  assert.equal(git("for-each-ref", "refs/dw/reviews"), before);
});
