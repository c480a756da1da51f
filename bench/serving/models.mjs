// The models bench/serving.mjs serves, trained the same way on both sides from the same file:
// scikit-learn's diabetes data (442 rows × 10 numeric features), a linear regression and a decision
// tree of depth 6, each fitted on every row. dw trains through its CLI as a user would (load_dataset,
// train_model with cv_folds so the model is fitted on all rows, register_model with an alias);
// MLflow's side is scikit-learn saved by mlflow.sklearn.save_model (bench/serving/mlflow_models.py).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const TARGET = "progression";
export const FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];
export const TREE_DEPTH = 6;
/** Each model: how dw trains it and how scikit-learn does. */
export const MODELS = {
  linear: { what: "linear regression", dw: { algorithm: "linear_regression" }, sklearn: { algorithm: "linear_regression" } },
  tree: {
    what: `decision tree, depth ${TREE_DEPTH}`,
    dw: { algorithm: "decision_tree", hyperparameters: { max_depth: TREE_DEPTH } },
    sklearn: { algorithm: "decision_tree", max_depth: TREE_DEPTH },
  },
};

/** Runs a dw tool from the CLI in the workspace (paths are relative to it, as to a notebook's folder) and answers its output. */
function dw(repo, workspace, tool, input) {
  try {
    const out = execFileSync(process.execPath, [join(repo, "bin", "dw.js"), tool, "--json", JSON.stringify(input)], {
      cwd: workspace,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out);
  } catch (e) {
    throw new Error(`dw ${tool} failed: ${e.stdout || e.message}`);
  }
}

/**
 * Writes the data, trains and registers both models on dw's side (alias `production`) and saves
 * both on MLflow's. Answers the data rows (feature values only, in FEATURES order) and where the
 * MLflow models are.
 */
export function prepareModels({ repo, python, workspace, mlflowDir }) {
  const script = join(repo, "bench", "serving", "mlflow_models.py");
  mkdirSync(join(workspace, "data"), { recursive: true });
  const csv = join(workspace, "data", "diabetes.csv");
  execFileSync(python, [script, "data", csv], { stdio: ["ignore", "ignore", "inherit"] });
  dw(repo, workspace, "load_dataset", { path: "data/diabetes.csv", dataset_id: "diabetes" });
  for (const [name, m] of Object.entries(MODELS)) {
    const run = dw(repo, workspace, "train_model", { dataset_id: "diabetes", target: TARGET, features: FEATURES, cv_folds: 5, ...m.dw });
    dw(repo, workspace, "register_model", { model_id: run.run_id, model_name: name, alias: "production" });
  }
  const spec = { target: TARGET, features: FEATURES, models: Object.fromEntries(Object.entries(MODELS).map(([n, m]) => [n, m.sklearn])) };
  execFileSync(python, [script, "train", csv, mlflowDir, JSON.stringify(spec)], {
    env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: "true" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const lines = readFileSync(csv, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const at = FEATURES.map((f) => header.indexOf(f));
  // JSON.stringify writes each double as the shortest text that reads back to it, so both servers parse the same numbers.
  const rows = lines.slice(1).map((l) => {
    const cells = l.split(",").map(Number);
    return at.map((i) => cells[i]);
  });
  return { rows, mlflowModel: (name) => join(mlflowDir, name) };
}

/** A dataframe_split body of `rows`. */
export function splitBody(rows) {
  return JSON.stringify({ dataframe_split: { columns: FEATURES, data: rows } });
}

/** POSTs a body and answers the predictions, or throws with the status and the answer. */
export async function predict(url, path, body) {
  const r = await fetch(url + path, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const text = await r.text();
  if (!r.ok) throw new Error(`${url}${path} answered ${r.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text).predictions;
}

/** The largest absolute difference between two prediction lists: Infinity when their lengths differ or a value is not a number. */
export function maxAbsDiff(a, b) {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Math.abs(a[i] - b[i]);
    if (Number.isNaN(x) || typeof a[i] !== "number" || typeof b[i] !== "number") return Number.POSITIVE_INFINITY;
    d = Math.max(d, x);
  }
  return d;
}
