import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { ok } from "../../../helpers/results.js";
import { createToolContext, runTool } from "../../../../src/index.js";
import { forgetProfiles, profileCacheCounts } from "../../../../src/data/profileCache.js";
import { forgetReadDatasets } from "../../../../src/data/readDataset.js";

/** Git in the workspace (real git), with an identity of its own so the test does not depend on the machine's. */
function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  const identity = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.org", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.org" };
  return execFileSync("git", args, { cwd: dir, env: { ...process.env, ...identity, ...env }, encoding: "utf8" }).trim();
}

test("the deploy gate checks a run without a governance report from the PII scans stored for its data version, and reads the rows only for a scan not stored", async (t) => {
  const tw = await makeTempWorkspace("dw-deploy-pii-");
  t.after(() => tw.cleanup());
  const ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  const lines = ["email,age,churned"];
  for (let i = 0; i < 200; i++) lines.push(`member${i}@example.org,${18 + ((i * 7) % 60)},${(i * 7) % 60 > 30 ? "yes" : "no"}`);
  await writeFile(join(tw.dir, "data", "members.csv"), lines.join("\n") + "\n");
  const loaded = ok(await runTool("load_dataset", { path: "data/members.csv", dataset_id: "members" }, ctx));
  const run = ok(
    await runTool(
      "train_model",
      {
        dataset_id: "members",
        target: "churned",
        features: ["age", "email"],
        algorithm: "decision_tree",
        hyperparameters: { max_depth: 2 },
        override_reason: "test fixture: a model trained on a PII feature on purpose",
      },
      ctx,
    ),
  );
  // A run without gates/governance.json (trained before the gate existed, or elsewhere): the same
  // run commit less that file, as its ref's head.
  const ref = `refs/dw/runs/${run.run_id}`;
  const index = join(tw.dir, ".git", "dw-test-index");
  git(tw.dir, ["read-tree", ref], { GIT_INDEX_FILE: index });
  git(tw.dir, ["update-index", "--force-remove", "gates/governance.json"], { GIT_INDEX_FILE: index });
  const tree = git(tw.dir, ["write-tree"], { GIT_INDEX_FILE: index });
  const head = git(tw.dir, ["rev-parse", ref]);
  git(tw.dir, ["update-ref", ref, git(tw.dir, ["commit-tree", tree, "-p", head, "-m", "run without its governance report"]), head]);
  await rm(index);
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "members" }, ctx));

  // train_model's governance gate scanned its features for the data version and stored the scans,
  // so scan_pii (same sample) reads them; forgotten in memory, they are read from disk.
  forgetProfiles();
  const scanned = profileCacheCounts();
  ok(await runTool("scan_pii", { dataset_id: "members", columns: ["email", "age"] }, ctx));
  assert.equal(profileCacheCounts().computed - scanned.computed, 0, "the training's scans are stored for its data version");

  const check = async () => ok(await runTool("check_policy", { model_name: "members", version: 1, alias: "staging" }, ctx));
  const before = profileCacheCounts();
  const first = await check();
  assert.equal(profileCacheCounts().computed, before.computed, "the gate scans nothing: scan_pii's scans are used");
  assert.equal(first.decision, "review", first.reasons.join(" "));
  assert.match(first.reasons.join(" "), /Trained with forbidden PII features 'email' \(EMAIL_ADDRESS\) \(from a scan of its training data\)/);

  // The cached copy of the file and its columns gone: the stored scans still are those of the data.
  await rm(join(tw.dir, ".dw", "cache", "sha256", loaded.sha256.slice(0, 2), loaded.sha256.slice(2)));
  await rm(join(tw.dir, ".dw", "cache", "columns"), { recursive: true, force: true });
  forgetReadDatasets();
  forgetProfiles();
  const fromDisk = await check();
  assert.equal(profileCacheCounts().computed, before.computed);
  assert.deepEqual(fromDisk.reasons, first.reasons);

  // Neither the scans nor the rows: the gate says it could not check, as before the cache existed.
  const profiles = join(tw.dir, ".dw", "cache", "profiles");
  assert.ok((await readdir(profiles)).some((f) => f.includes(".pii.s10000.")));
  await rm(profiles, { recursive: true });
  forgetProfiles();
  const blind = await check();
  assert.notEqual(blind.decision, "review", blind.reasons.join(" "));
  assert.match(blind.reasons.join(" "), /no longer in the workspace, so its features could not be checked for PII/);
});
