import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { readPolicyDocument } from "../../../src/policy/readPolicyDocument.js";
import { isDwError } from "../../../src/errors/DwError.js";

let tw: TempWorkspace;
let ws: Workspace;
before(async () => {
  tw = await makeTempWorkspace();
  ws = await openWorkspace(tw.dir);
});
after(async () => tw.cleanup());

const policyPath = () => join(tw.dir, "dw.policy.yaml");

test("a policy read again is parsed once while its text is the same, and again as soon as the text changes", async () => {
  await writeFile(policyPath(), "quality:\n  null_rate: {warn: 0.2, fail: 0.6}\n");
  const first = await readPolicyDocument(ws);
  const again = await readPolicyDocument(ws);
  assert.ok(first && again);
  assert.equal(again, first, "the same text: the same parse");
  assert.deepEqual(first.doc, { quality: { null_rate: { warn: 0.2, fail: 0.6 } } });
  // Same length, one digit changed: what is kept is keyed by the text, not by size or time.
  await writeFile(policyPath(), "quality:\n  null_rate: {warn: 0.3, fail: 0.6}\n");
  const changed = await readPolicyDocument(ws);
  assert.deepEqual(changed?.doc, { quality: { null_rate: { warn: 0.3, fail: 0.6 } } });
  await writeFile(policyPath(), "quality: [unclosed\n");
  await assert.rejects(readPolicyDocument(ws), (e) => isDwError(e) && e.code === "CONFIG_ERROR" && /line \d+: not valid YAML/.test(e.message));
  await rm(policyPath());
  assert.equal(await readPolicyDocument(ws), null);
});

test("without a policy file, reading the policy loads no YAML parser; with one it does", () => {
  // A fresh process, so what is loaded is this read's doing alone.
  const script = (withFile: boolean) => `
    import { createRequire } from "node:module";
    import { writeFileSync, rmSync } from "node:fs";
    const { openWorkspace } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, "dist", "src", "workspace", "Workspace.js")).href)});
    const { readPolicySection } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, "dist", "src", "policy", "readPolicySection.js")).href)});
    const { GovernancePolicy, governanceAllowed } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, "dist", "src", "governance", "policy", "GovernancePolicy.js")).href)});
    const dir = ${JSON.stringify(tw.dir)};
    rmSync(dir + "/dw.policy.yaml", { force: true });
    if (${withFile}) writeFileSync(dir + "/dw.policy.yaml", "governance: {}\\n");
    await readPolicySection(await openWorkspace(dir), "governance", GovernancePolicy, governanceAllowed);
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes("/node_modules/yaml/"));
    console.log(JSON.stringify({ loaded }));`;
  const run = (withFile: boolean) =>
    JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script(withFile)], { encoding: "utf8" }).trim()) as { loaded: boolean };
  assert.deepEqual(run(false), { loaded: false });
  assert.deepEqual(run(true), { loaded: true });
});
