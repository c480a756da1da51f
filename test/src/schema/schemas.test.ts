import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { generatedSchemaFiles } from "../../../src/schema/toolSchemas.js";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { tools } from "../../../src/tools/allTools.js";
import { DW_VERSION } from "../../../src/version.js";

test("schema/tools/*.json are up to date with the zod schemas (run `npm run schema` if not)", async () => {
  const files = generatedSchemaFiles();
  for (const [rel, text] of files) {
    const onDisk = await readFile(join(repoRoot, "schema", rel), "utf8").catch(() => null);
    assert.equal(onDisk, text, `schema/${rel} is stale: run npm run schema`);
  }
  const names = (await readdir(join(repoRoot, "schema", "tools"))).sort();
  assert.deepEqual(names, [...files.keys()].map((k) => k.slice("tools/".length)).sort(), "schema/tools holds files of tools that no longer exist");
});

test("tool names are snake_case on the wire and camelCase in TypeScript, and every input is strict", () => {
  for (const t of tools) {
    assert.match(t.name, /^[a-z]+(_[a-z]+)*$/);
    assert.equal(
      t.camelName,
      t.name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
    );
    assert.equal(t.input.safeParse({ __unknown_field__: 1 }).success, false);
  }
});

test("DW_VERSION matches package.json", async () => {
  const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8"));
  assert.equal(DW_VERSION, pkg.version);
});
