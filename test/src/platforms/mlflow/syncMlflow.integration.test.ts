import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext } from "../../../../src/index.js";
import { err, ok } from "../../../helpers/results.js";
import { freePort, startMlflowServer, type MlflowServer } from "./mlflowServer.js";

const run = promisify(execFile);
const python = join(repoRoot, ".venv-bench", "bin", "python");
const peerScript = join(repoRoot, "test", "src", "platforms", "mlflow", "mlflowPeer.py");

interface PeerRun {
  run_id: string;
  status: string;
  start_time: number;
  end_time: number;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: Record<string, number>;
  history: Record<string, { step: number; value: number; timestamp: number }[]>;
  artifacts: string[];
  model_json: string;
}
interface PeerVersion {
  version: string;
  tags: Record<string, string>;
  source: string;
  run_id: string;
  description: string;
}
interface PeerDump {
  experiments: Record<string, PeerRun[] | null>;
  models: Record<string, { versions: PeerVersion[]; aliases: Record<string, string> }>;
}

/** MLflow's own Python client (MlflowClient) reading the server: the peer's view, not dw's. */
async function peer(url: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(python, [peerScript, url, ...args], {
    maxBuffer: 64 * 2 ** 20,
    timeout: 60_000,
    env: { ...process.env, MLFLOW_TRACKING_URI: "" },
  });
  return JSON.parse(stdout);
}

async function gitShow(dir: string, spec: string): Promise<Buffer> {
  const { stdout } = await run("git", ["-C", dir, "show", spec], { encoding: "buffer", maxBuffer: 64 * 2 ** 20 });
  return stdout;
}

async function gitRef(dir: string, ref: string): Promise<string> {
  return (await run("git", ["-C", dir, "rev-parse", ref])).stdout.trim();
}

function byDwRun(runs: PeerRun[] | null | undefined, dwRunId: string): PeerRun[] {
  return (runs ?? []).filter((r) => r.tags["dw.run_id"] === dwRunId);
}

describe("dw mlflow sync against a real mlflow server", { timeout: 240_000 }, () => {
  let server: MlflowServer;
  let tw: TempWorkspace;
  let ctx: ToolContext;
  let linear: Record<string, any>;
  let tree: Record<string, any>;
  let handMadeRun: string;

  before(async () => {
    [server, tw] = await Promise.all([startMlflowServer(), makeTempWorkspace()]);
    ctx = await createToolContext({ cwd: tw.dir });
    ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
    linear = ok(
      await runTool(
        "train_model",
        { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" },
        ctx,
      ),
    );
    ok(await runTool("create_experiment", { name: "trees" }, ctx));
    tree = ok(
      await runTool(
        "train_model",
        {
          dataset_id: "weather",
          target: "temp_max",
          features: ["precipitation", "temp_min", "wind"],
          algorithm: "decision_tree",
          hyperparameters: { max_depth: 3 },
          experiment: "trees",
        },
        ctx,
      ),
    );
    ok(await runTool("register_model", { model_id: linear.run_id, model_name: "temp", description: "linear baseline", alias: "production" }, ctx));
    ok(await runTool("register_model", { model_id: tree.run_id, model_name: "temp", alias: "latest" }, ctx));
    ok(await runTool("log_metrics", { run_id: linear.run_id, metrics: { val_rmse: 4.5 }, step: 0 }, ctx));
    ok(await runTool("log_metrics", { run_id: linear.run_id, metrics: { val_rmse: 4.25 }, step: 1 }, ctx));
    // Before dw syncs, MLflow already has a version of "temp" made by hand (so dw's v1 cannot be
    // MLflow's 1), and a run that a sync killed right after runs/create left behind for the tree run.
    handMadeRun = ((await peer(server.url, "preexisting", "temp", tree.run_id)) as { run_id: string }).run_id;
  });

  after(async () => {
    await Promise.all([server?.stop(), tw?.cleanup()]);
  });

  it("mirrors runs, registered versions and aliases as MLflow's own client reads them; an alias MLflow reserves is an error for that item", async () => {
    const r = ok(await runTool("sync_mlflow", { url: server.url }, ctx));
    assert.deepEqual(
      r.runs.created.map((x: { run_id: string }) => x.run_id),
      [linear.run_id],
    );
    assert.deepEqual(
      r.runs.updated.map((x: { run_id: string }) => x.run_id),
      [tree.run_id],
      "the run a killed sync left is finished, not made twice",
    );
    assert.deepEqual(
      r.versions.created.map((v: { version: number; mlflow_version: string }) => [v.version, v.mlflow_version]),
      [
        [1, "2"],
        [2, "3"],
      ],
    );
    assert.deepEqual(
      r.aliases.created.map((a: { alias: string; mlflow_version: string }) => [a.alias, a.mlflow_version]),
      [["production", "2"]],
    );
    assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
    assert.equal(r.errors[0].kind, "alias");
    assert.equal(r.errors[0].item, "temp@latest");
    assert.equal(r.errors[0].code, "INVALID_PARAMETER_VALUE");
    assert.match(r.errors[0].hint, /reserves/);
    const html = renderResultHtml("sync_mlflow", r);
    assert.match(html, /1 created · 1 updated · 0 unchanged/);
    assert.match(html, /temp@latest/);
    assert.doesNotMatch(html, /undefined|NaN|\[object Object\]/);

    const dump = (await peer(server.url, "dump", "dw", "trees", join(tw.dir, "downloads"))) as PeerDump;
    const [lin] = byDwRun(dump.experiments.dw, linear.run_id);
    assert.ok(lin, "the linear run is in experiment dw");
    assert.equal(lin.status, "FINISHED");
    assert.equal(lin.tags["dw.commit"], await gitRef(tw.dir, `refs/dw/runs/${linear.run_id}`));
    const runJson = JSON.parse((await gitShow(tw.dir, `refs/dw/runs/${linear.run_id}:run.json`)).toString("utf8"));
    assert.equal(lin.tags["dw.dataset.sha256"], runJson.data.sha256);
    assert.equal(lin.tags["dw.algorithm"], "linear_regression");
    assert.equal(lin.tags["dw.target"], "temp_max");
    assert.deepEqual(JSON.parse(lin.tags["dw.features"]), ["precipitation", "temp_min", "wind"]);
    assert.equal(lin.tags["dw.gate.quality"], "pass");
    assert.equal(lin.params.algorithm, "linear_regression");
    assert.equal(lin.params.seed, String(runJson.parameters.seed));
    assert.equal(lin.params.dataset_id, "weather");
    assert.equal(lin.metrics.rmse, linear.metrics.rmse);
    assert.equal(lin.end_time, Date.parse(runJson.created_at));
    assert.ok(lin.start_time <= lin.end_time);
    assert.deepEqual(
      lin.history.val_rmse.map((p) => [p.step, p.value]),
      [
        [0, 4.5],
        [1, 4.25],
      ],
    );
    assert.deepEqual(lin.artifacts, ["gates/cost.json", "gates/governance.json", "gates/quality.json", "model/model.json"]);
    assert.ok(!lin.model_json.startsWith("error"), lin.model_json);
    assert.deepEqual(
      await readFile(lin.model_json),
      await gitShow(tw.dir, `refs/dw/runs/${linear.run_id}:model.json`),
      "model.json downloaded through MLflow is the run commit's, byte for byte",
    );

    const trees = byDwRun(dump.experiments.trees, tree.run_id);
    const adopted = byDwRun(dump.experiments.dw, tree.run_id);
    assert.equal(trees.length + adopted.length, 1, "one MLflow run for the tree run");
    assert.equal(adopted[0]?.run_id, handMadeRun, "found where it was, though its dw experiment is 'trees'");
    assert.equal(adopted[0].status, "FINISHED");
    assert.equal(adopted[0].params["hyperparameters.max_depth"], "3");

    const temp = dump.models.temp;
    assert.equal(temp.versions.length, 3);
    const prod = temp.versions.find((v) => v.version === temp.aliases.production);
    assert.ok(prod, `production names an MLflow version: ${JSON.stringify(temp.aliases)}`);
    assert.equal(prod.tags["dw.version"], "1");
    assert.equal(prod.tags["dw.run_id"], linear.run_id);
    assert.equal(prod.run_id, lin.run_id);
    assert.equal(prod.description, "linear baseline");
    assert.match(prod.source, new RegExp(`${lin.run_id}/artifacts/model$`));
    assert.equal(temp.aliases.latest, undefined);
  });

  it("a second sync changes nothing and duplicates nothing", async () => {
    const r = ok(await runTool("sync_mlflow", { url: server.url }, ctx));
    assert.deepEqual([r.runs.created.length, r.runs.updated.length, r.runs.unchanged.length], [0, 0, 2]);
    assert.deepEqual([r.versions.created.length, r.versions.updated.length, r.versions.unchanged.length], [0, 0, 2]);
    assert.deepEqual([r.aliases.created.length, r.aliases.updated.length, r.aliases.unchanged.length], [0, 0, 1]);
    assert.deepEqual(
      r.errors.map((e: { item: string }) => e.item),
      ["temp@latest"],
    );
    const after = (await peer(server.url, "dump", "dw", "trees", join(tw.dir, "downloads-3"))) as PeerDump;
    assert.equal(after.experiments.dw?.length, 2, "one MLflow run per dw run");
    assert.equal(after.experiments.trees, null, "no experiment made that no run needed");
    assert.equal(after.models.temp.versions.length, 3);
    const [lin] = byDwRun(after.experiments.dw, linear.run_id);
    assert.equal(lin.history.val_rmse.length, 2, "no metric point logged twice");
  });

  it("a sync interrupted part way stops with INTERRUPTED, leaves MLflow consistent, and the next one finishes the work", async () => {
    ok(await runTool("log_metrics", { run_id: tree.run_id, metrics: { val_rmse: 5.5 }, step: 0 }, ctx));
    const stop = new AbortController();
    // Interrupted as the tree run, which has a new point, starts.
    const interrupted = { ...ctx, signal: stop.signal, progress: (p: { message: string }) => (p.message.includes(tree.run_id) ? stop.abort() : undefined) };
    const e = err(await runTool("sync_mlflow", { url: server.url }, interrupted));
    assert.equal(e.code, "INTERRUPTED", JSON.stringify(e));
    const r = ok(await runTool("sync_mlflow", { url: server.url }, ctx));
    assert.deepEqual(
      r.runs.updated.map((x: { run_id: string }) => x.run_id),
      [tree.run_id],
    );
    assert.deepEqual(
      r.runs.unchanged.map((x: { run_id: string }) => x.run_id),
      [linear.run_id],
    );
    assert.deepEqual(r.runs.created, []);
    const dump = (await peer(server.url, "dump", "dw", join(tw.dir, "downloads-i"))) as PeerDump;
    const trees = byDwRun(dump.experiments.dw, tree.run_id);
    assert.equal(trees.length, 1);
    assert.deepEqual(
      trees[0].history.val_rmse.map((p) => [p.step, p.value]),
      [[0, 5.5]],
    );
    assert.equal(trees[0].tags["dw.commit"], await gitRef(tw.dir, `refs/dw/runs/${tree.run_id}`));
  });

  it("a moved alias and a newly logged metric are updated; a new run and version are created", async () => {
    ok(await runTool("log_metrics", { run_id: linear.run_id, metrics: { val_rmse: 4.0 }, step: 2 }, ctx));
    const third = ok(
      await runTool(
        "train_model",
        { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"], algorithm: "linear_regression", experiment: "trees" },
        ctx,
      ),
    );
    ok(await runTool("register_model", { model_id: third.run_id, model_name: "temp", alias: "production" }, ctx));
    // Another default experiment: runs mirrored before are still found where they are.
    const r = ok(await runTool("sync_mlflow", { url: server.url, experiment: "elsewhere" }, ctx));
    assert.deepEqual(
      r.runs.created.map((x: { run_id: string; experiment: string }) => [x.run_id, x.experiment]),
      [[third.run_id, "trees"]],
    );
    assert.deepEqual(
      r.runs.updated.map((x: { run_id: string; experiment: string }) => [x.run_id, x.experiment]),
      [[linear.run_id, "dw"]],
    );
    assert.deepEqual(
      r.versions.created.map((v: { version: number; mlflow_version: string }) => [v.version, v.mlflow_version]),
      [[3, "4"]],
    );
    assert.deepEqual(
      r.aliases.updated.map((a: { alias: string; version: number; mlflow_version: string }) => [a.alias, a.version, a.mlflow_version]),
      [["production", 3, "4"]],
    );

    const dump = (await peer(server.url, "dump", "dw", "trees", "elsewhere", join(tw.dir, "downloads-4"))) as PeerDump;
    assert.equal(dump.experiments.elsewhere, null);
    assert.equal(dump.experiments.dw?.length, 2);
    const [lin] = byDwRun(dump.experiments.dw, linear.run_id);
    assert.deepEqual(
      lin.history.val_rmse.map((p) => [p.step, p.value]),
      [
        [0, 4.5],
        [1, 4.25],
        [2, 4.0],
      ],
    );
    assert.equal(lin.tags["dw.commit"], await gitRef(tw.dir, `refs/dw/runs/${linear.run_id}`));
    assert.equal(byDwRun(dump.experiments.trees, third.run_id).length, 1);
    assert.equal(dump.experiments.trees?.length, 1);
    const temp = dump.models.temp;
    const prod = temp.versions.find((v) => v.version === temp.aliases.production);
    assert.equal(prod?.tags["dw.version"], "3");
  });

  it("another workspace's different temp/1 is a CONFLICT for that version; an experiment deleted in MLflow is a CONFLICT naming how to restore it", async () => {
    const other = await makeTempWorkspace();
    try {
      const octx = await createToolContext({ cwd: other.dir });
      ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, octx));
      const mine = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["wind"], algorithm: "linear_regression" }, octx));
      ok(await runTool("register_model", { model_id: mine.run_id, model_name: "temp", alias: "staging" }, octx));
      const r = ok(await runTool("sync_mlflow", { url: server.url }, octx));
      assert.deepEqual(
        r.runs.created.map((x: { run_id: string }) => x.run_id),
        [mine.run_id],
      );
      assert.deepEqual(r.versions.created, []);
      assert.deepEqual(r.aliases.created, [], "its alias is not set on the other workspace's version");
      assert.deepEqual(
        r.errors.map((e: { kind: string; item: string; code: string }) => [e.kind, e.item, e.code]),
        [
          ["version", "temp/1", "CONFLICT"],
          ["alias", "temp@staging", "CONFLICT"],
        ],
      );
      assert.match(r.errors[0].message, /another registration/);
    } finally {
      await other.cleanup();
    }
    await peer(server.url, "delete-experiment", "trees");
    const r = ok(await runTool("sync_mlflow", { url: server.url }, ctx));
    const problems = r.errors.map((e: { kind: string; item: string; code: string }) => [e.kind, e.item, e.code]);
    assert.deepEqual(
      problems.filter(([kind]: string[]) => kind !== "alias"),
      [
        ["experiment", "trees", "CONFLICT"],
        ["run", r.errors.find((e: { kind: string }) => e.kind === "run")?.item, "CONFLICT"],
      ],
    );
    assert.match(r.errors[0].hint, /mlflow experiments restore --experiment-id/);
    assert.equal(r.versions.unchanged.length, 3, "versions already in MLflow stay as they are");
  });

  it("a URL that is not http(s), a port nobody listens on and a server that is not MLflow are clear errors naming the URL", async () => {
    const bad = err(await runTool("sync_mlflow", { url: "file:///tmp/mlruns" }, ctx));
    assert.equal(bad.code, "INVALID_INPUT");
    assert.match(bad.message, /file:\/\/\/tmp\/mlruns/);
    const port = await freePort();
    const closed = err(await runTool("sync_mlflow", { url: `http://127.0.0.1:${port}` }, ctx));
    assert.equal(closed.code, "CONNECTION_ERROR");
    assert.match(closed.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    const web = http.createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><body>Not here</body></html>");
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
      const notMlflow = err(await runTool("sync_mlflow", { url }, ctx));
      assert.equal(notMlflow.code, "CONNECTION_ERROR");
      assert.match(notMlflow.message, /not answer as an MLflow tracking server/);
      assert.ok(notMlflow.message.includes(url));
    } finally {
      await new Promise((resolve) => web.close(resolve));
    }
  });
});
