import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext, runTool } from "../../../../src/index.js";
import { ok } from "../../../helpers/results.js";
import { startMlflowServer, type MlflowServer } from "./mlflowServer.js";

// MLflow's own basic authentication (mlflow[auth]): dw mlflow sync sends the credentials MLflow's
// clients read from MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD, and a server that refuses
// them is a clear error that never shows the password.
const admin = { username: "admin", password: "dw-admin-pass-0417" };

describe("dw mlflow sync against a real mlflow server with basic authentication", { timeout: 240_000 }, () => {
  let server: MlflowServer;
  let tw: TempWorkspace;
  let runId: string;

  before(async () => {
    [server, tw] = await Promise.all([startMlflowServer({ admin }), makeTempWorkspace("dw-mlflow-auth-")]);
    const ctx = await createToolContext({ cwd: tw.dir });
    ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
    runId = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx)).run_id as string;
  });
  after(async () => {
    await Promise.all([server?.stop(), tw?.cleanup()]);
  });

  const sync = (env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, [join(repoRoot, "bin", "dw.js"), "mlflow", "sync", "--url", server.url, "--workspace", tw.dir], {
      env: { ...process.env, MLFLOW_TRACKING_TOKEN: "", MLFLOW_TRACKING_USERNAME: "", MLFLOW_TRACKING_PASSWORD: "", ...env },
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it("without credentials, or with a wrong password, the sync is refused with what to set, and the password never shows", async () => {
    for (const env of [{}, { MLFLOW_TRACKING_USERNAME: "admin", MLFLOW_TRACKING_PASSWORD: "not-the-pass-9" }]) {
      const r = await sync(env);
      assert.equal(r.code, 1, r.out);
      const { error } = JSON.parse(r.out) as { error: { code: string; message: string; hint?: string } };
      assert.match(`${error.message} ${error.hint}`, /MLFLOW_TRACKING_USERNAME/);
      assert.doesNotMatch(r.out, /not-the-pass-9/);
    }
    // Nothing was made: the server's runs, read as its admin.
    const runs = await searchRuns();
    assert.deepEqual(runs, []);
  });

  it("with the admin's credentials in MLflow's variables, the run is mirrored", async () => {
    const r = await sync({ MLFLOW_TRACKING_USERNAME: admin.username, MLFLOW_TRACKING_PASSWORD: admin.password });
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, new RegExp(admin.password));
    const runs = await searchRuns();
    assert.equal(runs.length, 1);
    assert.equal(runs[0].data.tags.find((t) => t.key === "dw.run_id")?.value, runId);
  });

  async function searchRuns(): Promise<{ data: { tags: { key: string; value: string }[] } }[]> {
    const headers = { Authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString("base64")}`, "Content-Type": "application/json" };
    const exps = (await (
      await fetch(`${server.url}/api/2.0/mlflow/experiments/search`, { method: "POST", headers, body: JSON.stringify({ max_results: 100 }) })
    ).json()) as {
      experiments: { experiment_id: string }[];
    };
    const found = (await (
      await fetch(`${server.url}/api/2.0/mlflow/runs/search`, {
        method: "POST",
        headers,
        body: JSON.stringify({ experiment_ids: exps.experiments.map((e) => e.experiment_id), max_results: 100 }),
      })
    ).json()) as { runs?: { data: { tags: { key: string; value: string }[] } }[] };
    return found.runs ?? [];
  }
});
