import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { WorkspaceState } from "../../../src/comm/protocol.js";
import { ok } from "../../helpers/results.js";

// get_workspace_state, the sidebar's listing, reads every model, version and endpoint. One damaged
// record — a hostile model.json, a corrupt run.json, a ref holding garbage — must show as that
// item's `error`, and every other model, version and endpoint must still be listed.

let tw: TempWorkspace;
let ctx: ToolContext;
/** The registration commits, as the tools made them. */
const registered: Record<string, string> = {};

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const train = async (target: string, features: string[]) =>
    ok(await runTool("train_model", { dataset_id: "weather", target, features, algorithm: "linear_regression" }, ctx)).run_id as string;
  const tempRun = await train("temp_max", ["precipitation", "temp_min", "wind"]);
  const windRun = await train("wind", ["temp_max", "temp_min"]);
  ok(await runTool("register_model", { model_id: tempRun, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: tempRun, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: windRun, model_name: "wind" }, ctx));
  ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "production" }, ctx));
  ok(await runTool("deploy_model", { model_name: "wind", version: 1, alias: "production" }, ctx));
  for (const ref of ["temp/1", "temp/2", "wind/1"]) registered[ref] = (await ctx.workspace.readRef(`refs/dw/models/${ref}`))!;
});
after(async () => tw.cleanup());

/** Replaces files of a registered version by a commit on top of its registration, as a hand edit or a bad push would. */
async function damage(ref: string, files: Record<string, string>): Promise<void> {
  const base = registered[ref];
  await ctx.workspace.commit({ ref: `refs/dw/models/${ref}`, message: "damaged", files, base, parents: [base] });
}

async function restore(): Promise<void> {
  for (const [ref, oid] of Object.entries(registered)) await ctx.workspace.writeRef(`refs/dw/models/${ref}`, oid);
}

/** The listing, checked against the comm protocol (what the kernel sends the sidebar), with the healthy model `wind` fully there. */
async function listing(): Promise<WorkspaceState> {
  const state = WorkspaceState.parse(ok(await runTool("get_workspace_state", {}, ctx)));
  const wind = state.models.find((m) => m.name === "wind");
  assert.ok(wind, `wind is listed: ${JSON.stringify(state.models.map((m) => m.name))}`);
  assert.equal(wind.error, undefined);
  assert.deepEqual(wind.aliases, { production: 1 });
  assert.deepEqual(
    wind.versions.map((v) => [v.version, v.algorithm, v.error]),
    [[1, "linear_regression", undefined]],
  );
  const endpoint = state.endpoints.find((e) => e.model === "wind");
  assert.ok(endpoint, "wind's endpoint is listed");
  assert.equal(endpoint.error, undefined);
  assert.equal(endpoint.live, true);
  assert.match(endpoint.curl ?? "", /"temp_max".*"temp_min"/);
  return state;
}

test("a healthy registry lists both models, every version and both endpoints, without errors", async () => {
  const state = await listing();
  const temp = state.models.find((m) => m.name === "temp")!;
  assert.deepEqual(
    temp.versions.map((v) => [v.version, v.error]),
    [
      [2, undefined],
      [1, undefined],
    ],
  );
  assert.equal(state.endpoints.length, 2);
  assert.ok(state.endpoints.every((e) => e.error === undefined && e.curl));
});

test("a hostile model.json on a deployed version marks that endpoint only", async () => {
  const real = JSON.parse((await ctx.workspace.readText(registered["temp/1"], "model.json"))!);
  const hostile: Record<string, string> = {
    "unparsable JSON": "{ not json",
    "reference statistics that lack an input's numbers": JSON.stringify({ ...real, reference_stats: { ...real.reference_stats, precipitation: {} } }),
    "no reference statistics at all": JSON.stringify({ ...real, reference_stats: undefined }),
    "no signature": JSON.stringify({ ...real, signature: null }),
    "not an object": "[1, 2, 3]",
  };
  try {
    for (const [what, text] of Object.entries(hostile)) {
      await damage("temp/1", { "model.json": text });
      const state = await listing();
      const temp = state.models.find((m) => m.name === "temp");
      assert.ok(temp, what);
      // The version listing does not depend on model.json: both versions are there.
      assert.deepEqual(
        temp.versions.map((v) => [v.version, v.error]),
        [
          [2, undefined],
          [1, undefined],
        ],
        what,
      );
      const endpoint = state.endpoints.find((e) => e.model === "temp");
      assert.ok(endpoint, what);
      assert.equal(endpoint.version, 1);
      assert.match(endpoint.error ?? "", /model\.json of temp v1 is not (JSON|a valid dw\.model\/1 model)/, what);
      assert.equal(endpoint.curl, undefined, what);
    }
  } finally {
    await restore();
  }
});

test("a registration whose run.json or registration.json is corrupt is listed with its error; the other versions and models are not affected", async () => {
  try {
    await damage("temp/2", { "run.json": "{ corrupt" });
    let temp = (await listing()).models.find((m) => m.name === "temp")!;
    assert.deepEqual(
      temp.versions.map((v) => v.version),
      [2, 1],
    );
    assert.match(temp.versions[0].error ?? "", /refs\/dw\/models\/temp\/2 is damaged/);
    assert.equal(temp.versions[1].error, undefined);
    assert.equal(temp.versions[1].algorithm, "linear_regression");

    await restore();
    await damage("temp/2", { "registration.json": JSON.stringify({ model_name: "wind", version: 1 }) });
    temp = (await listing()).models.find((m) => m.name === "temp")!;
    assert.match(temp.versions[0].error ?? "", /damaged/);
    assert.equal(temp.versions[1].error, undefined);
  } finally {
    await restore();
  }
});

test("a version ref that holds garbage is listed with its error", async () => {
  try {
    await writeFile(join(ctx.workspace.gitdir, "refs/dw/models/temp/2"), "this is not an object id\n");
    const state = await listing();
    const temp = state.models.find((m) => m.name === "temp")!;
    assert.deepEqual(
      temp.versions.map((v) => v.version),
      [2, 1],
    );
    assert.ok(temp.versions[0].error, "v2 carries its error");
    assert.equal(temp.versions[1].error, undefined);
    assert.ok(
      state.endpoints.find((e) => e.model === "temp" && e.error === undefined),
      "temp@production (v1) is unaffected",
    );
  } finally {
    await restore();
  }
});

test("the command line asks for the same state: dw get_workspace_state", async () => {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), "get_workspace_state", "--workspace", tw.dir, "--json", "{}"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const state = WorkspaceState.parse(JSON.parse(r.stdout));
  assert.deepEqual(state, await listing());
});
