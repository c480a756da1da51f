import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { runTool, type ToolContext } from "../../../src/index.js";
import { deployVersion } from "../../../src/deployment/deployVersion.js";
import { finishInterruptedMoves } from "../../../src/deployment/moveServedAlias.js";
import { resolveAlias } from "../../../src/registry/readRegistry.js";
import { pushToRemote } from "../../../src/sync/pushToRemote.js";
import { pullFromRemote } from "../../../src/sync/pullFromRemote.js";
import type { DwErrorJSON } from "../../../src/errors/DwError.js";
import { dwErrorOf, git, twoClones, type TwoClones } from "./twoClones.js";

// Resolving an alias conflict with --take_ours / --take_theirs never deletes or rewinds a
// deployment history: the side taken wins on both clones, and nothing undoes it on the next
// exchange. A model version is never a side to take.

let bare: string;
let A: TempWorkspace;
let a: ToolContext;
let b: ToolContext;
let run: string;

const isAncestor = (gitdir: string, x: string, y: string) => {
  try {
    git(gitdir, "merge-base", "--is-ancestor", x, y);
    return true;
  } catch {
    return false;
  }
};

const refusal = (p: Promise<unknown>): Promise<DwErrorJSON> => dwErrorOf(p, "expected an error");

let clones: TwoClones;
before(async () => {
  clones = await twoClones("dw-resolve");
  ({ bare, A, a, b } = clones);
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, a));
  run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, a)).run_id;
  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, a));
  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, a));
  await pushToRemote(a, { remote: "origin" });
  await pullFromRemote(b, { remote: "origin" });
});
after(() => clones?.cleanup());

test("take_ours on an alias whose deployment history is only on the remote: a record naming ours goes on top of theirs; B follows it and the next exchanges keep it", async () => {
  await deployVersion(b, { model: "temp", version: 1, alias: "staging" });
  await pushToRemote(b, { remote: "origin" });
  const bobsRecord = git(bare, "rev-parse", "refs/dw/deployments/temp/staging");
  // Ada points staging at a new v3 with register_model's alias: the alias ref alone, no record here.
  ok(await runTool("register_model", { model_id: run, model_name: "temp", alias: "staging" }, a));
  const e = await refusal(pushToRemote(a, { remote: "origin" }));
  assert.equal(e.code, "CONFLICT");

  const r = await pushToRemote(a, { remote: "origin", takeOurs: ["temp@staging"] });
  assert.deepEqual(
    r.resolved.map((x) => [x.target, x.took]),
    [["temp@staging", "ours"]],
  );
  const head = git(bare, "rev-parse", "refs/dw/deployments/temp/staging");
  assert.notEqual(head, bobsRecord);
  assert.ok(isAncestor(bare, bobsRecord, head), "the remote's deployment history only grew");
  assert.match(git(bare, "show", `${head}:deployment.json`), /"version": 3/);
  assert.ok(
    r.moved.every((m) => m.to !== null),
    "nothing deleted on the remote",
  );

  const pb = await pullFromRemote(b, { remote: "origin" });
  assert.deepEqual(pb.conflicts, []);
  await finishInterruptedMoves(b.workspace);
  assert.equal((await resolveAlias(b.workspace, "temp", "staging"))?.version, 3);
  assert.deepEqual((await pushToRemote(b, { remote: "origin" })).moved, [], "B's next push undoes nothing");
  const pa = await pullFromRemote(a, { remote: "origin" });
  assert.deepEqual(pa.conflicts, []);
  assert.equal((await resolveAlias(a.workspace, "temp", "staging"))?.version, 3);
});

test("take_theirs on diverged deployment histories: this clone serves the remote's version, its own records stay in the history, and its push sends only what grows", async () => {
  await deployVersion(a, { model: "temp", version: 1, alias: "staging" });
  await deployVersion(b, { model: "temp", version: 2, alias: "staging" });
  await pushToRemote(b, { remote: "origin" });
  const adas = (await a.workspace.readRef("refs/dw/deployments/temp/staging")) as string;
  const bobs = git(bare, "rev-parse", "refs/dw/deployments/temp/staging");
  const p = await pullFromRemote(a, { remote: "origin" });
  assert.deepEqual([...new Set(p.conflicts.map((c) => c.target))], ["temp@staging"]);

  const t = await pullFromRemote(a, { remote: "origin", takeTheirs: ["temp@staging"] });
  assert.deepEqual(
    t.resolved.map((x) => [x.target, x.took]),
    [["temp@staging", "theirs"]],
  );
  assert.equal((await resolveAlias(a.workspace, "temp", "staging"))?.version, 2);
  const head = (await a.workspace.readRef("refs/dw/deployments/temp/staging")) as string;
  const gitdir = join(A.dir, ".git");
  assert.ok(isAncestor(gitdir, adas, head) && isAncestor(gitdir, bobs, head), "both histories are in the new record's");

  const pushed = await pushToRemote(a, { remote: "origin" });
  assert.deepEqual(
    pushed.moved.map((m) => m.ref),
    ["refs/dw/deployments/temp/staging"],
  );
  const pb = await pullFromRemote(b, { remote: "origin" });
  assert.deepEqual(pb.conflicts, []);
  assert.equal((await resolveAlias(b.workspace, "temp", "staging"))?.version, 2);
});

test("take_* naming a model version is refused: an unpushed one is renumbered by a pull, a pushed one that differs is resolved by hand", async () => {
  // Ada's unpushed v4 against Bob's pushed v4.
  ok(await runTool("register_model", { model_id: run, model_name: "temp", description: "Bob's" }, b));
  await pushToRemote(b, { remote: "origin" });
  ok(await runTool("register_model", { model_id: run, model_name: "temp", description: "Ada's" }, a));
  const unpushed = await refusal(pushToRemote(a, { remote: "origin", takeOurs: ["refs/dw/models/temp/4"] }));
  assert.equal(unpushed.code, "INVALID_INPUT");
  assert.match(unpushed.message, /cannot take a side of a model version/);
  assert.match(unpushed.hint ?? "", /dw pull origin gives it the next number free/);
  assert.equal(git(bare, "rev-parse", "refs/dw/models/temp/4"), await b.workspace.readRef("refs/dw/models/temp/4"), "the remote's v4 is untouched");
  const pulled = await pullFromRemote(a, { remote: "origin" });
  assert.deepEqual(
    pulled.renumbered.map((r) => [r.from, r.to]),
    [[4, 5]],
  );
  await pushToRemote(a, { remote: "origin" });

  // Someone rewrites the shared v1 on the remote with git: Ada's pull shows a conflict, and take_theirs is refused with the way out.
  const adasV1 = (await a.workspace.readRef("refs/dw/models/temp/1")) as string;
  const other = (await a.workspace.readRef("refs/dw/models/temp/2")) as string;
  git(bare, "update-ref", "refs/dw/models/temp/1", other);
  const p = await pullFromRemote(a, { remote: "origin" });
  const c = p.conflicts.find((x) => x.ref === "refs/dw/models/temp/1");
  assert.ok(c, JSON.stringify(p.conflicts));
  assert.match(c.why, /a version never changes, so no --take_\* applies/);
  const pushed = await refusal(pullFromRemote(a, { remote: "origin", takeTheirs: ["refs/dw/models/temp/1"] }));
  assert.equal(pushed.code, "INVALID_INPUT");
  assert.match(pushed.hint ?? "", /git update-ref -d refs\/dw\/models\/temp\/1, then dw pull origin/);
  assert.match(pushed.hint ?? "", /git push origin --force-with-lease=refs\/dw\/models\/temp\/1:/);
  assert.equal(await a.workspace.readRef("refs/dw/models/temp/1"), adasV1, "nothing moved here");
  assert.equal(git(bare, "rev-parse", "refs/dw/models/temp/1"), other, "nor there");
});
