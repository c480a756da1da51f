import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// A tool parses its input, calls the domain and shapes its output; it never calls another tool's
// handler (that would skip the other tool's output check and tie two commands together). The
// layer test cannot see this, since both files are in the tools layer.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const toolsDir = join(repo, "src", "tools");

/** The tool files (those that define a tool) that import another tool file, as "a.ts imports ./b.js". */
function toolsImportingTools(files: Record<string, string>): string[] {
  const isTool = (name: string) => /=\s*defineTool\(/.test(files[name] ?? "");
  const out: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    if (!isTool(name)) continue;
    for (const m of text.matchAll(/from\s+"\.\/([^"/]+)\.js"/g)) {
      if (isTool(`${m[1]}.ts`)) out.push(`${name} imports ./${m[1]}.js`);
    }
  }
  return out.sort();
}

test("no tool imports another tool: productionize and the rest compose domain functions", () => {
  const files = Object.fromEntries(
    readdirSync(toolsDir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [f, readFileSync(join(toolsDir, f), "utf8")]),
  );
  assert.ok(Object.values(files).filter((t) => /=\s*defineTool\(/.test(t)).length > 20, "expected to read every tool file");
  assert.deepEqual(toolsImportingTools(files), []);
});

test("the check finds a tool importing another, and not a tool importing defineTool or a helper", () => {
  const files = {
    "a.ts": 'import { defineTool } from "./defineTool.js";\nimport { b } from "./b.js";\nexport const a = defineTool({});',
    "b.ts": 'import { defineTool } from "./defineTool.js";\nexport const b = defineTool({});',
    "defineTool.ts": "export function defineTool() {}",
    "c.ts": 'import { defineTool } from "./defineTool.js";\nimport { Shape } from "./Shape.js";\nexport const c = defineTool({});',
    "Shape.ts": "export const Shape = 1;",
  };
  assert.deepEqual(toolsImportingTools(files), ["a.ts imports ./b.js"]);
});
