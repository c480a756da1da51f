import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { runTool, type ToolContext } from "../../../src/index.js";
import { deployVersion } from "../../../src/deployment/deployVersion.js";
import { readRegistration, resolveAlias } from "../../../src/registry/readRegistry.js";
import { resolveExportedVersion } from "../../../src/platforms/kserve/resolveExportedVersion.js";
import { createServedModels } from "../../../src/server/servedModels.js";
import { servableAbTest } from "../../../src/monitoring/abtest/readAbTest.js";
import { readReviews } from "../../../src/governance/review/readReviews.js";
import { pushToRemote } from "../../../src/sync/pushToRemote.js";
import { pullFromRemote } from "../../../src/sync/pullFromRemote.js";
import { isDwError } from "../../../src/errors/DwError.js";
import type { Workspace } from "../../../src/workspace/Workspace.js";
import { git, twoClones, type TwoClones } from "./twoClones.js";

// Renumbering a version this clone never pushed renames it in every record this clone made that
// names it (deployments with their gate reports, the A/B test, reviews of that registration), so
// the old number, which is the remote's registration after the pull, is not taken as gated here
// or on the other clone; and a renumbering a crash cut short is finished, not done twice.

let bare: string;
let B: TempWorkspace;
let a: ToolContext;
let b: ToolContext;

/** Every deployment.json version named along the first parents of a deployment history. */
async function recordedVersions(ws: Workspace, ref: string): Promise<(number | null)[]> {
  const out: (number | null)[] = [];
  for (let oid = await ws.readRef(ref); oid; oid = (await ws.readCommit(oid)).parents[0] ?? null) {
    out.push((JSON.parse((await ws.readText(oid, "deployment.json")) ?? "{}") as { version: number | null }).version);
  }
  return out;
}

async function notGated(ws: Workspace, id: string): Promise<void> {
  try {
    await resolveExportedVersion(ws, id);
  } catch (e) {
    assert.ok(isDwError(e) && e.code === "NOT_FOUND", String(e));
    assert.match(e.message, /never passed a deploy gate/);
    return;
  }
  assert.fail(`${id} was taken as gated`);
}

let clones: TwoClones;
before(async () => {
  clones = await twoClones("dw-renumber");
  ({ bare, B, a, b } = clones);
});
after(() => clones?.cleanup());

test("B's unpushed v2, reviewed, deployed and an A/B arm, is v3 in every record after the pull; the remote's v2 is gated nowhere", async () => {
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, a));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, a)).run_id;
  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, a));
  await deployVersion(a, { model: "temp", version: 1, alias: "production" });
  await pushToRemote(a, { remote: "origin" });
  await pullFromRemote(b, { remote: "origin" });

  ok(await runTool("register_model", { model_id: run, model_name: "temp", description: "Bob's" }, b));
  const bobsV2 = (await b.workspace.readRef("refs/dw/models/temp/2")) as string;
  ok(await runTool("request_governance_review", { model_name: "temp", version: 2, decision: "approve", reason: "checked the residuals by hand" }, b));
  await deployVersion(b, { model: "temp", version: 2, alias: "staging" });
  ok(await runTool("ab_test_models", { model_a_id: "temp/1", model_b_id: "temp/2", alias: "production", traffic_split: 0.5 }, b));
  ok(await runTool("register_model", { model_id: run, model_name: "temp", description: "Ada's, never deployed" }, a));
  await pushToRemote(a, { remote: "origin" });

  const pulled = await pullFromRemote(b, { remote: "origin" });
  assert.equal(pulled.renumbered.length, 1);
  const rn = pulled.renumbered[0];
  assert.deepEqual([rn.from, rn.to, rn.aliases], [2, 3, ["staging"]]);
  assert.ok(rn.deployments.includes("staging"), JSON.stringify(rn));
  const reg3 = await readRegistration(b.workspace, rn.commit);
  assert.deepEqual([reg3?.version, reg3?.description, reg3?.renumbered_from, reg3?.renumbered_from_commit], [3, "Bob's", 2, bobsV2]);
  assert.equal((await readRegistration(b.workspace, (await b.workspace.readRef("refs/dw/models/temp/2")) as string))?.description, "Ada's, never deployed");

  // No record of Bob's names v2 any more: the remote's v2 never passed a gate here.
  assert.deepEqual(await recordedVersions(b.workspace, "refs/dw/deployments/temp/staging"), [3]);
  await notGated(b.workspace, "temp/2");
  assert.deepEqual(await createServedModels(b.workspace, () => {}).servedVersions("temp"), [1, 3]);
  assert.deepEqual(await resolveAlias(b.workspace, "temp", "staging"), { version: 3, commit: rn.commit });

  // The staging record keeps its gate report, now of v3; the history replaced is kept.
  const staging = (await b.workspace.readRef("refs/dw/deployments/temp/staging")) as string;
  const report = JSON.parse((await b.workspace.readText(staging, "gates/governance.json")) ?? "{}") as { subject: { version: number } };
  assert.equal(report.subject.version, 3);
  const backups = git(join(B.dir, ".git"), "for-each-ref", "--format=%(refname)", "refs/dw-backup").split("\n");
  assert.ok(
    backups.some((r) => r.endsWith("/deployments/temp/staging")),
    backups.join("\n"),
  );

  // The running A/B test splits between v1 and v3 (Bob's), on the deployment it started on.
  const ab = await servableAbTest(b.workspace, "temp", "production");
  assert.deepEqual(
    ab.test?.arms.map((x) => [x.version, x.commit]),
    [
      [1, await b.workspace.readRef("refs/dw/models/temp/1")],
      [3, rn.commit],
    ],
    String(ab.reason),
  );

  // The review of Bob's registration moved with it; no review names the remote's v2.
  const reviews = await readReviews(b.workspace, "temp", 3);
  assert.deepEqual(
    reviews.map((r) => [r.review.version, r.review.model_commit, r.review.decision]),
    [[3, rn.commit, "approve"]],
  );
  assert.deepEqual(await readReviews(b.workspace, "temp", 2), []);
});

test("a renumbering cut short after the new registration was written is finished by the next pull, with the same commits and no second number", async () => {
  const gitdir = join(B.dir, ".git");
  const rn3 = (await b.workspace.readRef("refs/dw/models/temp/3")) as string;
  const reg3 = await readRegistration(b.workspace, rn3);
  const old = reg3?.renumbered_from_commit as string;
  const heads = Object.fromEntries(
    await Promise.all(
      ["refs/dw/deployments/temp/staging", "refs/dw/abtests/temp/production", "refs/dw/reviews/temp/3"].map(async (r) => [r, await b.workspace.readRef(r)]),
    ),
  );
  // The state a crash right after the new registration leaves: every other ref as before the pull.
  const backup = (ref: string) =>
    git(gitdir, "for-each-ref", "--format=%(refname)", "refs/dw-backup")
      .split("\n")
      .filter((r) => r.endsWith(`/${ref}`))
      .sort()[0];
  for (const ref of ["deployments/temp/staging", "abtests/temp/production", "reviews/temp/2"])
    git(gitdir, "update-ref", `refs/dw/${ref}`, git(gitdir, "rev-parse", backup(ref)));
  git(gitdir, "update-ref", "-d", "refs/dw/reviews/temp/3");
  git(gitdir, "update-ref", "refs/dw/aliases/temp/staging", old);
  const remotesV2 = git(bare, "rev-parse", "refs/dw/models/temp/2");
  git(gitdir, "update-ref", "refs/dw/models/temp/2", old);
  assert.notEqual(old, remotesV2);

  const again = await pullFromRemote(b, { remote: "origin" });
  assert.deepEqual(
    again.renumbered.map((r) => [r.from, r.to, r.commit]),
    [[2, 3, rn3]],
  );
  assert.equal(await b.workspace.readRef("refs/dw/models/temp/4"), null, "no second copy");
  assert.equal(await b.workspace.readRef("refs/dw/models/temp/2"), remotesV2);
  for (const [ref, head] of Object.entries(heads)) assert.equal(await b.workspace.readRef(ref), head, `${ref} rewritten to the same commit`);
  assert.equal(await b.workspace.readRef("refs/dw/aliases/temp/staging"), rn3);
});

test("after B pushes, A, whose v2 never passed a gate anywhere, still has it ungated; A sees B's v3 deployed", async () => {
  await pushToRemote(b, { remote: "origin" });
  const p = await pullFromRemote(a, { remote: "origin" });
  assert.deepEqual(p.conflicts, []);
  await notGated(a.workspace, "temp/2");
  assert.deepEqual(await createServedModels(a.workspace, () => {}).servedVersions("temp"), [1, 3]);
  assert.equal((await resolveAlias(a.workspace, "temp", "staging"))?.version, 3);
  assert.deepEqual(
    (await servableAbTest(a.workspace, "temp", "production")).test?.arms.map((x) => x.version),
    [1, 3],
  );
});
