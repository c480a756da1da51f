import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace, stopWorkspaceServer, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { deployVersion } from "../../../src/deployment/deployVersion.js";
import { finishInterruptedMoves } from "../../../src/deployment/moveServedAlias.js";
import { readAliases, readRegistration, resolveAlias } from "../../../src/registry/readRegistry.js";
import { pushToRemote } from "../../../src/sync/pushToRemote.js";
import { pullFromRemote } from "../../../src/sync/pullFromRemote.js";
import { ensureServer } from "../../../src/server/ensureServer.js";
import { authHeadersFor } from "../../../src/server/token.js";
import type { DwErrorJSON } from "../../../src/errors/DwError.js";
import { dwErrorOf, git, twoClones, type TwoClones } from "./twoClones.js";

// Two clones of one team registry and a bare remote over a plain path (the user's git): what moves
// on push and pull, version numbers kept unique across clones, conflicts shown with both sides and
// resolved with nothing lost, the data through a shared cache folder, and hostile ref names refused.

let bare: string;
let shared: string;
let A: TempWorkspace;
let B: TempWorkspace;
let a: ToolContext;
let b: ToolContext;
let runA: string;

const conflict = (p: Promise<unknown>): Promise<DwErrorJSON> => dwErrorOf(p, "expected a CONFLICT");

let clones: TwoClones;
before(async () => {
  clones = await twoClones("dw-sync", { sharedCache: true });
  ({ bare, shared, A, B, a, b } = clones);
});
after(() => clones?.cleanup());

test("A trains, registers v1 and deploys it; push sends the run, the version, the alias and its deployment, and the data to the shared cache", async () => {
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, a));
  runA = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, a)).run_id;
  ok(await runTool("register_model", { model_id: runA, model_name: "temp" }, a));
  await deployVersion(a, { model: "temp", version: 1, alias: "production" });
  const r = await pushToRemote(a, { remote: "origin" });
  assert.deepEqual(r.versions, ["temp/1"]);
  assert.deepEqual(r.aliases, { "temp@production": 1 });
  assert.deepEqual(
    r.moved.map((m) => m.ref),
    [`refs/dw/runs/${runA}`, "refs/dw/models/temp/1", "refs/dw/deployments/temp/production", "refs/dw/aliases/temp/production"].sort((x, y) =>
      x.includes("models") ? -1 : y.includes("models") ? 1 : x.includes("aliases") ? 1 : y.includes("aliases") ? -1 : x.includes("deployments") ? 1 : -1,
    ),
  );
  assert.equal(r.data.uploaded.length, 1);
  assert.equal(r.data.shared_cache, shared);
  assert.equal(git(bare, "rev-parse", "refs/dw/models/temp/1"), await a.workspace.readRef("refs/dw/models/temp/1"));
  // Nothing outside refs/dw/ reached the remote: not the base, not the user's branch.
  assert.deepEqual(
    git(bare, "for-each-ref", "--format=%(refname)")
      .split("\n")
      .filter((x) => !x.startsWith("refs/dw/")),
    [],
  );
  const again = await pushToRemote(a, { remote: "origin" });
  assert.deepEqual(again.moved, []);
  assert.equal(again.up_to_date, 4);
});

test("B pulls: it sees v1 and its alias, dw serve scores it, and the data is in the shared cache, not missing", async () => {
  const r = await pullFromRemote(b, { remote: "origin" });
  assert.deepEqual(r.versions, ["temp/1"]);
  assert.deepEqual(r.aliases, { "temp@production": 1 });
  assert.deepEqual(r.conflicts, []);
  assert.deepEqual(r.data.missing, []);
  assert.deepEqual(await readAliases(b.workspace, "temp"), { production: 1 });
  const server = await ensureServer(b.workspace);
  try {
    const res = await fetch(`${server.url}/models/temp@production/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await authHeadersFor(server)) },
      body: JSON.stringify({ dataframe_records: [{ temp_min: 5, wind: 4.7 }] }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { predictions: number[] };
    assert.equal(body.predictions.length, 1);
    assert.ok(Number.isFinite(body.predictions[0]));
  } finally {
    await stopWorkspaceServer(B.dir);
  }
});

test("a clone with no shared cache names the pulled run's data as missing, with who pushed it, and is not an error", async () => {
  const C = await makeTempWorkspace("dw-sync-c-");
  try {
    const c = await createToolContext({ cwd: C.dir });
    const r = await pullFromRemote(c, { remote: bare });
    assert.equal(r.data.shared_cache, null);
    assert.equal(r.data.missing.length, 1);
    assert.equal(r.data.missing[0].dataset_id, "weather");
    assert.equal(r.data.missing[0].run_id, runA);
    assert.match(r.data.missing[0].pushed_by, /^Ada <ada@example.com>$/);
  } finally {
    await C.cleanup();
  }
});

test("both register v2: the second push is a CONFLICT showing both; pull renumbers B's to v3; push then succeeds and A pulls v3", async () => {
  ok(await runTool("register_model", { model_id: runA, model_name: "temp", description: "Ada's" }, a));
  ok(await runTool("register_model", { model_id: runA, model_name: "temp", description: "Bob's" }, b));
  await deployVersion(b, { model: "temp", version: 2, alias: "staging" });
  await pushToRemote(a, { remote: "origin" });
  const e = await conflict(pushToRemote(b, { remote: "origin" }));
  assert.equal(e.code, "CONFLICT");
  assert.match(e.message, /^Nothing was pushed to origin/);
  assert.match(e.hint ?? "", /Pull first \(dw pull origin\)/);
  const c = ((e.details ?? {}).conflicts as { ref: string; ours: { version?: number; by?: string }; theirs: { version?: number; by?: string } }[]).find(
    (x) => x.ref === "refs/dw/models/temp/2",
  );
  assert.ok(c, JSON.stringify(e.details));
  assert.equal(c.ours.version, 2);
  assert.equal(c.theirs.version, 2);
  assert.match(c.ours.by ?? "", /^Bob/);
  assert.match(c.theirs.by ?? "", /^Ada/);
  assert.equal(git(bare, "rev-parse", "refs/dw/models/temp/2"), await a.workspace.readRef("refs/dw/models/temp/2"), "nothing of B's reached the remote");

  const bobsV2 = await b.workspace.readRef("refs/dw/models/temp/2");
  const pulled = await pullFromRemote(b, { remote: "origin" });
  assert.equal(pulled.renumbered.length, 1);
  const rn = pulled.renumbered[0];
  assert.deepEqual([rn.model_name, rn.from, rn.to, rn.aliases, rn.deployments], ["temp", 2, 3, ["staging"], ["staging"]]);
  assert.equal(git(B.dir + "/.git", "rev-parse", rn.backup), bobsV2, "the old registration is kept");
  const reg3 = await readRegistration(b.workspace, rn.commit);
  assert.equal(reg3?.version, 3);
  assert.equal(reg3?.description, "Bob's");
  assert.equal((await readRegistration(b.workspace, (await b.workspace.readRef("refs/dw/models/temp/2")) as string))?.description, "Ada's");
  // The alias ref and the deployment record agree: dw serve's reconciliation changes nothing.
  assert.deepEqual(await resolveAlias(b.workspace, "temp", "staging"), { version: 3, commit: rn.commit });
  await finishInterruptedMoves(b.workspace);
  assert.equal(await b.workspace.readRef("refs/dw/aliases/temp/staging"), rn.commit);
  assert.match((await b.workspace.readCommit(rn.commit)).message, /^dw model temp v3: register run \S+ \(renumbered from v2\)/);

  const pushed = await pushToRemote(b, { remote: "origin" });
  assert.ok(pushed.versions.includes("temp/3"));
  const aPulled = await pullFromRemote(a, { remote: "origin" });
  assert.deepEqual(aPulled.versions, ["temp/3"]);
  assert.deepEqual(await readAliases(a.workspace, "temp"), { production: 1, staging: 3 });
});

test("both move production: a conflict with both sides; --take_ours on B's push records v3 on top of both deployment histories, keeping the alias it replaced, and A's pull takes it without a conflict", async () => {
  await deployVersion(a, { model: "temp", version: 2, alias: "production" });
  await deployVersion(b, { model: "temp", version: 3, alias: "production" });
  await pushToRemote(a, { remote: "origin" });
  const e = await conflict(pushToRemote(b, { remote: "origin" }));
  const cs = e.details?.conflicts as { ref: string; target: string; base: { version?: number }; ours: { version?: number }; theirs: { version?: number } }[];
  const alias = cs.find((x) => x.ref === "refs/dw/aliases/temp/production");
  assert.deepEqual([alias?.target, alias?.base.version, alias?.ours.version, alias?.theirs.version], ["temp@production", 1, 3, 2]);
  assert.ok(cs.some((x) => x.ref === "refs/dw/deployments/temp/production"));

  // Pull takes nothing of it and shows the same conflict, with how to resolve it.
  const pulled = await pullFromRemote(b, { remote: "origin" });
  assert.deepEqual([...new Set(pulled.conflicts.map((x) => x.target))], ["temp@production"]);
  assert.deepEqual(await readAliases(b.workspace, "temp"), { production: 3, staging: 3 });

  const theirsAlias = git(bare, "rev-parse", "refs/dw/aliases/temp/production");
  const bBefore = await b.workspace.readRef("refs/dw/deployments/temp/production");
  const r = await pushToRemote(b, { remote: "origin", takeOurs: ["temp@production"] });
  assert.equal(r.resolved.length, 1);
  assert.equal(r.resolved[0].took, "ours");
  const kept = r.resolved[0].backups.find((x) => x.endsWith("/aliases/temp/production"));
  assert.ok(kept);
  assert.equal(git(B.dir + "/.git", "rev-parse", kept), theirsAlias, "the remote's value is kept in B");
  assert.equal(git(bare, "rev-parse", "refs/dw/aliases/temp/production"), await b.workspace.readRef("refs/dw/aliases/temp/production"));

  // The deployment histories diverged, and take_ours neither rewinds nor replaces the remote's: a
  // new record names v3 on top of both (A's first, the remote's), carrying B's gate report.
  const head = git(bare, "rev-parse", "refs/dw/deployments/temp/production");
  const aOwn = await a.workspace.readRef("refs/dw/deployments/temp/production");
  assert.deepEqual(git(bare, "log", "-1", "--format=%P", head).split(" "), [aOwn, bBefore]);
  assert.match(git(bare, "show", `${head}:deployment.json`), /"version": 3/);
  assert.match(git(bare, "ls-tree", "-r", "--name-only", head), /gates\/governance.json/);
  assert.ok(!r.resolved[0].backups.some((x) => x.includes("/deployments/")), "nothing of the remote's history was replaced");

  // A moved production before and pushed it, so its pull just takes the resolution: no conflict, its own record kept in the history.
  const ap = await pullFromRemote(a, { remote: "origin" });
  assert.deepEqual(ap.conflicts, []);
  assert.deepEqual(ap.aliases, { "temp@production": 3 });
  assert.equal(git(A.dir + "/.git", "merge-base", "--is-ancestor", aOwn as string, head) === "", true);
  assert.deepEqual(await readAliases(a.workspace, "temp"), { production: 3, staging: 3 });
  await finishInterruptedMoves(a.workspace);
  assert.deepEqual(await resolveAlias(a.workspace, "temp", "production"), { version: 3, commit: await a.workspace.readRef("refs/dw/models/temp/3") });
  assert.deepEqual((await pushToRemote(a, { remote: "origin" })).moved, []);
});

test("log_metrics on both sides of one run: the histories diverge, push refuses, pull shows the chain with both newest commits", async () => {
  ok(await runTool("log_metrics", { run_id: runA, metrics: { val: 1 } }, a));
  ok(await runTool("log_metrics", { run_id: runA, metrics: { val: 2 } }, b));
  await pushToRemote(a, { remote: "origin" });
  const e = await conflict(pushToRemote(b, { remote: "origin" }));
  const c = ((e.details ?? {}).conflicts as { ref: string; why: string; ours: { subject?: string; by?: string }; theirs: { by?: string } }[])[0];
  assert.equal(c.ref, `refs/dw/runs/${runA}`);
  assert.match(c.why, /diverged/);
  assert.match(c.ours.by ?? "", /^Bob/);
  assert.match(c.theirs.by ?? "", /^Ada/);
  assert.ok(c.ours.subject);
  const p = await pullFromRemote(b, { remote: "origin" });
  assert.deepEqual(
    p.conflicts.map((x) => x.ref),
    [`refs/dw/runs/${runA}`],
  );
});

test("refs a hostile remote holds under names or objects dw does not write are refused and never written here", async () => {
  const run = git(bare, "rev-parse", `refs/dw/runs/${runA}`);
  for (const ref of ["refs/dw/models/temp/07", "refs/dw/aliases/temp/x/y", "refs/dw/hooks/evil", "refs/dw/models/evil/1", "refs/dw/aliases/temp/canary"]) {
    git(bare, "update-ref", ref, run);
  }
  const r = await pullFromRemote(b, { remote: "origin" });
  const refused = new Map(r.refused.map((x) => [x.ref, x.reason]));
  for (const ref of ["refs/dw/models/temp/07", "refs/dw/aliases/temp/x/y", "refs/dw/hooks/evil", "refs/dw/models/evil/1", "refs/dw/aliases/temp/canary"]) {
    assert.ok(refused.has(ref), `${ref} refused: ${JSON.stringify(r.refused)}`);
    assert.equal(await b.workspace.readRef(ref).catch(() => null), null);
  }
  assert.match(refused.get("refs/dw/models/evil/1") ?? "", /registration of evil v1/);
});
