import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, stopWorkspaceServer, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";
import { readInferenceWindow, type InferenceWindow } from "../../../src/monitoring/log/readInferenceLog.js";
import { rawRequest, type RawResponse } from "./serverFixture.js";

/** Customers whose churn follows tenure and spend, with a real-looking e-mail column (PII the governance scan finds). */
export function customersCsv(rows: number): string {
  let s = 12345;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const names = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana", "ivo", "jae"];
  const domains = ["example.com", "mail.org", "corp.net"];
  const lines = ["customer_id,email,age,tenure_months,monthly_spend,churned"];
  for (let i = 0; i < rows; i++) {
    const tenure = Math.floor(rand() * 72);
    const spend = Math.round((20 + rand() * 80) * 100) / 100;
    const churned = tenure < 18 && spend > 40 ? "yes" : rand() < 0.05 ? "yes" : "no";
    lines.push(`C${10000 + i},${names[i % 10]}.${names[(i * 7) % 10]}${i}@${domains[i % 3]},${18 + Math.floor(rand() * 60)},${tenure},${spend},${churned}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The governance policy that lets e-mail addresses be features (with a warning), so a model learns from one. */
export const EMAIL_ALLOWED = "governance:\n  training:\n    forbidden_pii_features: [US_SSN, CREDIT_CARD]\n";

/**
 * A workspace with `temp@production` (linear regression of temp_max on precipitation, temp_min,
 * wind) and, when asked, `churn@production` (a tree that reads the e-mail column, which the
 * governance scan marked as PII), deployed; the dw serve deploy_model started is stopped, so the
 * test starts its own.
 */
export async function loggedWorkspace(options: { pii?: boolean; prefix?: string } = {}): Promise<{ tw: TempWorkspace; runs: Record<string, string> }> {
  const tw = await makeTempWorkspace(options.prefix ?? "dw-inflog-");
  const ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  await writeFile(join(tw.dir, "dw.policy.yaml"), EMAIL_ALLOWED);
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const temp = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" },
      ctx,
    ),
  ).run_id;
  ok(await runTool("register_model", { model_id: temp, model_name: "temp" }, ctx));
  ok(await runTool("deploy_model", { model_name: "temp", alias: "production" }, ctx));
  const runs: Record<string, string> = { temp };
  if (options.pii) {
    await writeFile(join(tw.dir, "data", "customers.csv"), customersCsv(300));
    ok(await runTool("load_dataset", { path: "data/customers.csv", dataset_id: "customers" }, ctx));
    runs.churn = ok(
      await runTool(
        "train_model",
        {
          dataset_id: "customers",
          target: "churned",
          features: ["tenure_months", "monthly_spend", "email"],
          algorithm: "decision_tree",
          hyperparameters: { max_depth: 3 },
          // Every address is distinct, which the quality gate blocks as an id-like feature.
          override_reason: "test fixture: a model that reads a PII column on purpose",
        },
        ctx,
      ),
    ).run_id;
    ok(await runTool("register_model", { model_id: runs.churn, model_name: "churn" }, ctx));
    ok(await runTool("deploy_model", { model_name: "churn", alias: "production" }, ctx));
  }
  await stopWorkspaceServer(tw.dir);
  return { tw, runs };
}

/** Writes the workspace's policy file: the e-mail allowance plus `monitoring` (a YAML block under `monitoring:`). */
export function writePolicy(dir: string, monitoring: string): Promise<void> {
  return writeFile(join(dir, "dw.policy.yaml"), `${EMAIL_ALLOWED}monitoring:\n${monitoring}`);
}

/** POSTs JSON and answers the raw response with its parsed body. */
export async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse & { json: any }> {
  const r = await rawRequest(base, {
    method: "POST",
    path,
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.body);
  } catch {
    json = null;
  }
  return { ...r, json };
}

/** Reads the deployment's window until `done` says it holds what is expected (the log writes in batches), or fails after 10 s. */
export async function windowWhen(dir: string, name: string, done: (w: InferenceWindow) => boolean, what: string): Promise<InferenceWindow> {
  const end = Date.now() + 10_000;
  for (;;) {
    const w = await readInferenceWindow(dir, name, "production");
    if (done(w)) return w;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: the log holds ${w.records.length} records`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const TEMP = "/models/temp@production/invocations";
export const tempRows = (rows: number[][]) => ({ dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: rows } });
