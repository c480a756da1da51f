import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../helpers/tempWorkspace.js";
import { executeNotebook as execute, text, type Cell } from "./notebookRun.js";

const tw = await makeTempWorkspace("dw-nb-");
after(() => tw.cleanup());

test("nbclient runs the quickstart with the dw kernel, and the deployed model answers over HTTP", async () => {
  const out = join(tw.dir, "quickstart.out.ipynb");
  const r = execute(join(tw.dir, "quickstart.ipynb"), out);
  assert.equal(r.code, 0, r.stderr);
  const cells = (JSON.parse(await readFile(out, "utf8")).cells as Cell[]).filter((c) => c.cell_type === "code");
  const resultOf = (i: number) => {
    const o = cells[i].outputs!.find((x) => x.data?.["application/vnd.dw.result+json"]);
    assert.ok(o, `cell ${i} has a dw result: ${JSON.stringify(cells[i].outputs).slice(0, 500)}`);
    const bundle = o.data!["application/vnd.dw.result+json"] as { tool: string; output: Record<string, any> };
    return { html: text(o.data!["text/html"] as string | string[]), json: bundle.output, bundle };
  };

  const load = resultOf(0);
  assert.equal(load.bundle.tool, "load_dataset");
  assert.equal(load.json.rows, 1461);
  assert.match(load.html, /1,461 rows/);

  const train = resultOf(1);
  assert.equal(train.bundle.tool, "train_model");
  assert.match(train.json.run_id, /^\d{8}-\d{6}-[0-9a-f]{6}$/);
  assert.ok(train.json.metrics.r2 > 0.7);
  assert.ok(train.json.timings.fit_s >= 0);
  // The TypeScript line after the magic read the stored result.
  const printed = cells[1]
    .outputs!.filter((o) => o.output_type === "stream")
    .map((o) => text(o.text))
    .join("");
  assert.match(printed, /holdout R² = 0\.\d{3}/);

  const reg = resultOf(2);
  assert.equal(reg.json.model_name, "temp");
  assert.equal(reg.json.version, 1);

  const dep = resultOf(3);
  assert.equal(dep.json.alias, "production");
  assert.match(dep.html, /temp@production/);

  // The last cell's value is an execute_result computed from dw.getModelVersions.
  const last = cells[cells.length - 1].outputs!.find((o) => o.output_type === "execute_result");
  assert.ok(last, "the last cell has an execute_result");
  assert.match(text(last.data!["text/plain"] as string), /v1 production r2=0\.\d{3}/);

  // The run commit holds the cell that ran it and the notebook it came from.
  const show = (p: string) => spawnSync("git", ["show", `refs/dw/runs/${train.json.run_id}:${p}`], { cwd: tw.dir, encoding: "utf8" });
  assert.match(show("cell.ts").stdout, /%dw train_model --data weather/);
  assert.equal(JSON.parse(show("notebook.ipynb").stdout).cells.length > 0, true);

  const res = await fetch(dep.json.endpoint_url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[0.0, 5.0, 4.7]] } }),
  });
  assert.equal(res.status, 200);
  const { predictions } = (await res.json()) as { predictions: number[] };
  const m = train.json.model;
  assert.ok(Math.abs(predictions[0] - (m.intercept + m.coefficients.temp_min * 5 + m.coefficients.wind * 4.7)) < 1e-9);

  // The clients users already have score the same model: Python requests as MLflow's docs show it,
  // Triton's own Open Inference Protocol client, and curl with a CSV body.
  const rows = [
    [0.0, 5.0, 4.7],
    [10.9, 2.8, 4.5],
  ];
  const want = rows.map(([p, t, w]) => m.intercept + m.coefficients.precipitation * p + m.coefficients.temp_min * t + m.coefficients.wind * w);
  const near = (got: number[], who: string) => {
    assert.equal(got.length, want.length, who);
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-9, `${who}: row ${i} ${g} vs ${want[i]}`));
  };
  const server = new URL(dep.json.endpoint_url);
  const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
  const script = `
import json, sys
import numpy as np
import requests
import tritonclient.http as httpclient
url, host, rows = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
mlflow = requests.post(url, json={"dataframe_split": {"columns": ["precipitation", "temp_min", "wind"], "data": rows}})
mlflow.raise_for_status()
client = httpclient.InferenceServerClient(url=host)
assert client.is_model_ready("temp")
x = httpclient.InferInput("input-0", [len(rows), 3], "FP64")
x.set_data_from_numpy(np.array(rows, dtype=np.float64))
oip = client.infer("temp", [x]).as_numpy("predict").tolist()
print(json.dumps({"mlflow": mlflow.json()["predictions"], "oip": oip}))
`;
  const py = spawnSync(python, ["-c", script, dep.json.endpoint_url, server.host, JSON.stringify(rows)], { encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  const fromPython = JSON.parse(py.stdout) as { mlflow: number[]; oip: number[] };
  near(fromPython.mlflow, "requests (MLflow protocol)");
  near(fromPython.oip, "tritonclient (Open Inference Protocol)");
  const csv = `precipitation,temp_min,wind\n${rows.map((r) => r.join(",")).join("\n")}\n`;
  const curl = spawnSync("curl", ["-sS", "-X", "POST", "-H", "Content-Type: text/csv", "--data-binary", csv, dep.json.endpoint_url], { encoding: "utf8" });
  assert.equal(curl.status, 0, curl.stderr);
  near(JSON.parse(curl.stdout).predictions, "curl with CSV");
});

test("bad magics give clear errors in the notebook and the kernel keeps running", async () => {
  const cells = [
    "%dw trian_model --data weather",
    "%dw train_model --data nowhere_var.x --target temp_max",
    "%dw load_dataset data/seattle-weather.csv --as weather\n%dw train_model --data weather --target temp_maxx",
    "%dw load_dataset data/badnum.csv --as bad\n%dw train_model --data bad --target y --features x",
    "%dw train_model --data weather --target temp_max --frobnicate 3",
    "const still = 40 + 2;\nstill",
  ];
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: "dw", display_name: "TypeScript (dw)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  await writeFile(
    join(tw.dir, "data", "badnum.csv"),
    ["x,y", ...Array.from({ length: 30 }, (_, i) => (i === 2 ? "oops,1" : `${i},${i * 2}`))].join("\n") + "\n",
  );
  const src = join(tw.dir, "errors.ipynb");
  const out = join(tw.dir, "errors.out.ipynb");
  await writeFile(src, JSON.stringify(nb));
  const r = execute(src, out, true);
  assert.equal(r.code, 0, r.stderr);
  const done = JSON.parse(await readFile(out, "utf8")).cells as Cell[];
  const errorOf = (i: number) => {
    const e = done[i].outputs!.find((o) => o.output_type === "error");
    assert.ok(e, `cell ${i} shows an error: ${JSON.stringify(done[i].outputs).slice(0, 400)}`);
    return `${e.ename}: ${e.evalue}`;
  };
  assert.match(errorOf(0), /trian_model/);
  assert.match(errorOf(0), /train_model/);
  assert.match(errorOf(1), /nowhere_var/);
  assert.match(errorOf(2), /temp_maxx/);
  assert.match(errorOf(3), /Column 'x' \(features\) is numeric except for some values: data\/badnum.csv, line 4 holds 'oops'/);
  assert.match(errorOf(4), /frobnicate/);
  const last = done[5].outputs!.find((o) => o.output_type === "execute_result");
  assert.equal(text(last?.data?.["text/plain"] as string), "42");
});
