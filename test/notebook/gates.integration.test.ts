import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../helpers/tempWorkspace.js";
import { executeNotebook, text, type Cell } from "./notebookRun.js";
import { createRandom } from "../../src/models/random.js";

// The promise of the gates, as a data scientist meets it in a notebook: a training that uses a
// PII column as a feature is blocked with the reasons; dropping the column lets it through; an
// override goes through too and is recorded, with the gate reports, in the run commit.

const tw = await makeTempWorkspace("dw-nb-gates-");
after(() => tw.cleanup());

/** Customers with a churn label that depends on tenure and spend, and each one's e-mail address. */
function customersCsv(n: number): string {
  const rand = createRandom(7);
  const first = ["anna", "ben", "carla", "dev", "elif", "farid", "grace", "hugo", "ines", "jon"];
  const domains = ["example.com", "mail.example.org", "corp.example.net"];
  const lines = ["customer_email,age,tenure_months,monthly_spend,plan,churned"];
  for (let i = 0; i < n; i++) {
    const tenure = Math.floor(rand() * 60) + 1;
    const spend = Math.round((20 + rand() * 80) * 100) / 100;
    const plan = rand() < 0.4 ? "pro" : "basic";
    const churn = tenure < 12 && spend > 50 ? rand() < 0.8 : rand() < 0.15;
    const email = `${first[i % first.length]}.${Math.floor(rand() * 1e6)}@${domains[i % domains.length]}`;
    lines.push([email, 18 + Math.floor(rand() * 60), tenure, spend, plan, churn ? "yes" : "no"].join(","));
  }
  return lines.join("\n") + "\n";
}

test("a training with a PII feature is blocked in the notebook, passes without it, and an override is recorded", async () => {
  await writeFile(join(tw.dir, "data", "customers.csv"), customersCsv(400));
  const withEmail = "customer_email,age,tenure_months,monthly_spend,plan";
  const cells = [
    "%dw load_dataset data/customers.csv --as customers",
    `%dw train_model --data customers --target churned --features ${withEmail} --algorithm random_forest`,
    "%dw train_model --data customers --target churned --features age,tenure_months,monthly_spend,plan --algorithm random_forest --as run\nconsole.log('gates:', run.gates.map((g: any) => `${g.gate}=${g.status}`).join(' '));",
    `const forced = await dw.trainModel({ dataset_id: "customers", target: "churned", features: ${JSON.stringify(withEmail.split(","))}, algorithm: "random_forest", override_reason: "addresses are pseudonymised upstream (DPO ticket 4711)" });\nconsole.log('override by', forced.override.by, 'for', forced.override.gates.join(','));\nforced.run_id`,
    "const alive = 6 * 7;\nalive",
  ];
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: "code", id: `g${i}`, metadata: {}, source, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: "dw", display_name: "TypeScript (dw)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const src = join(tw.dir, "gates.ipynb");
  const out = join(tw.dir, "gates.out.ipynb");
  await writeFile(src, JSON.stringify(nb));
  const r = executeNotebook(src, out, true, 400_000);
  assert.equal(r.code, 0, r.stderr);
  const done = (JSON.parse(await readFile(out, "utf8")).cells as Cell[]).filter((c) => c.cell_type === "code");
  const errors = (i: number) => done[i].outputs!.filter((o) => o.output_type === "error");
  const printed = (i: number) =>
    done[i]
      .outputs!.filter((o) => o.output_type === "stream")
      .map((o) => text(o.text))
      .join("");

  assert.deepEqual(errors(0), [], "the data loads");

  // Blocked: the error names the gate, the column and the entity, and says how to go on.
  const blocked = errors(1);
  assert.equal(blocked.length, 1, `cell 1 is blocked: ${JSON.stringify(done[1].outputs).slice(0, 600)}`);
  const message = `${blocked[0].ename}: ${blocked[0].evalue}`;
  assert.match(message, /GATE_FAILED|blocked/);
  assert.match(message, /governance/);
  assert.match(message, /customer_email/);
  assert.match(message, /EMAIL_ADDRESS|e-?mail/i);

  // Without the column the same training goes through, and every gate ran.
  assert.deepEqual(errors(2), [], `cell 2 trains: ${JSON.stringify(done[2].outputs).slice(0, 600)}`);
  assert.match(printed(2), /gates: quality=(pass|warn) governance=(pass|warn) cost=pass/);

  // The override went through and says who and which gate.
  assert.deepEqual(errors(3), [], `cell 3 trains on an override: ${JSON.stringify(done[3].outputs).slice(0, 600)}`);
  // The e-mail column is also ID-like (every value distinct), which the quality gate fails too.
  assert.match(printed(3), /override by (?!unknown)\S+ for (quality,)?governance/);
  const forcedRun = text(done[3].outputs!.find((o) => o.output_type === "execute_result")!.data!["text/plain"] as string)
    .replace(/['"]/g, "")
    .trim();
  assert.match(forcedRun, /^\d{8}-\d{6}-[0-9a-f]{6}$/);

  // The kernel kept running after the blocked cell.
  assert.equal(text(done[4].outputs!.find((o) => o.output_type === "execute_result")?.data?.["text/plain"] as string), "42");

  // git tells what was checked: the override, its reason and the failing governance report are in the run commit.
  const git = (...args: string[]) => spawnSync("git", args, { cwd: tw.dir, encoding: "utf8" });
  const runs = git("for-each-ref", "--format=%(refname)", "refs/dw/runs").stdout.trim().split("\n").filter(Boolean);
  assert.equal(runs.length, 2, `the blocked training wrote no run: ${runs.join(", ")}`);
  const override = JSON.parse(git("show", `refs/dw/runs/${forcedRun}:gates/override.json`).stdout) as { reason: string; gates: string[] };
  assert.equal(override.reason, "addresses are pseudonymised upstream (DPO ticket 4711)");
  assert.ok(override.gates.includes("governance"), override.gates.join(","));
  const governance = JSON.parse(git("show", `refs/dw/runs/${forcedRun}:gates/governance.json`).stdout) as { status: string; decision: string };
  assert.equal(governance.status, "fail");
  assert.equal(governance.decision, "deny");
  assert.match(git("log", "-1", "--format=%B", `refs/dw/runs/${forcedRun}`).stdout, /override \((quality, )?governance\) by .*DPO ticket 4711/);
  const clean = runs.map((r) => r.slice("refs/dw/runs/".length)).find((id) => id !== forcedRun)!;
  for (const gate of ["quality", "governance", "cost"]) {
    const report = JSON.parse(git("show", `refs/dw/runs/${clean}:gates/${gate}.json`).stdout) as { gate: string; status: string };
    assert.equal(report.gate, gate);
    assert.notEqual(report.status, "fail");
  }
  assert.equal(git("show", `refs/dw/runs/${clean}:gates/override.json`).status, 128, "no override on the clean run");
  assert.ok(JSON.parse(git("show", `refs/dw/runs/${clean}:data/snapshot.json`).stdout), "the training snapshot is stored for the next quality check");
});
