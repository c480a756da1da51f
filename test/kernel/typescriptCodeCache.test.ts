import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../helpers/tempWorkspace.js";

// In a process of its own: the module loads TypeScript when it is imported, before tslab's modules.
test("TypeScript loaded through the code cache is the one tslab requires, and it compiles", () => {
  const script = `
    const { typescriptCodeCache } = await import(${JSON.stringify(join(repoRoot, "dist/kernel/typescriptCodeCache.js"))});
    const { createRequire } = await import("node:module");
    const fromTslab = createRequire(createRequire(${JSON.stringify(join(repoRoot, "package.json"))}).resolve("tslab/package.json"));
    const ts = fromTslab("@tslab/typescript-for-tslab");
    const again = fromTslab("@tslab/typescript-for-tslab");
    const out = ts.transpileModule("const x: number = 1 + 1; export default x;", { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    console.log(JSON.stringify({ state: typescriptCodeCache.state, same: ts === again, version: ts.version, out }));
  `;
  const r = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim());
  assert.ok(["used", "missing", "rejected"].includes(r.state), `loaded by the module, not left to require: ${r.state}`);
  assert.equal(r.same, true);
  assert.match(r.version, /^\d+\.\d+\.\d+/);
  assert.match(r.out, /var x = 1 \+ 1;/);
});
