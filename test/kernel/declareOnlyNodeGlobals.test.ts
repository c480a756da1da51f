import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as ts from "@tslab/typescript-for-tslab";
import { declareOnlyNodeGlobals } from "../../kernel/declareOnlyNodeGlobals.js";
import { createExecutor } from "../../kernel/executor.js";

test("listing a node_modules/@types folder answers node alone; any other folder is listed whole", () => {
  const listed: Record<string, string[]> = {
    "/p/node_modules/@types": ["d3", "node", "react"],
    "/p/node_modules/@types/": ["d3", "node"],
    "C:\\p\\node_modules\\@types": ["node", "jest"],
    "/p/node_modules": ["@types", "zod"],
    "/p/src/@types": ["a", "node"],
  };
  const sys = { getDirectories: (path: string) => listed[path] ?? [] } as unknown as ts.System;
  declareOnlyNodeGlobals(sys);
  declareOnlyNodeGlobals(sys); // twice is once
  assert.deepEqual(sys.getDirectories("/p/node_modules/@types"), ["node"]);
  assert.deepEqual(sys.getDirectories("/p/node_modules/@types/"), ["node"]);
  assert.deepEqual(sys.getDirectories("C:\\p\\node_modules\\@types"), ["node"]);
  assert.deepEqual(sys.getDirectories("/p/node_modules"), ["@types", "zod"]);
  assert.deepEqual(sys.getDirectories("/p/src/@types"), ["a", "node"]);
});

// One executor in a folder whose node_modules has a package with its own @types and an @types
// package declaring a global: the cells run there, as a kernel started in that folder would.
test("cells see node's globals, not another @types package's, and an imported package's types still come with it", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "dw-types-"));
  const cwd = process.cwd();
  t.after(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });
  const types = join(dir, "node_modules", "@types");
  await mkdir(join(types, "fakeglobals"), { recursive: true });
  await writeFile(join(types, "fakeglobals", "package.json"), JSON.stringify({ name: "@types/fakeglobals", version: "1.0.0", types: "index.d.ts" }));
  await writeFile(join(types, "fakeglobals", "index.d.ts"), "declare var dwFakeGlobal: number;\n");
  await mkdir(join(types, "fakepkg"), { recursive: true });
  await writeFile(join(types, "fakepkg", "package.json"), JSON.stringify({ name: "@types/fakepkg", version: "1.0.0", types: "index.d.ts" }));
  await writeFile(join(types, "fakepkg", "index.d.ts"), "export declare const fakeValue: number;\n");
  await mkdir(join(dir, "node_modules", "fakepkg"), { recursive: true });
  await writeFile(join(dir, "node_modules", "fakepkg", "package.json"), JSON.stringify({ name: "fakepkg", version: "1.0.0", main: "index.js" }));
  await writeFile(join(dir, "node_modules", "fakepkg", "index.js"), "exports.fakeValue = 42;\n");
  process.chdir(dir);
  const executor = createExecutor({ rootDir: dir });
  try {
    const global = await executor.execute("dwFakeGlobal");
    assert.equal(global.ok, false);
    assert.match(global.ok ? "" : global.error.evalue, /Cannot find name 'dwFakeGlobal'/);

    const imported = await executor.execute('import { fakeValue } from "fakepkg";\nconst n: number = fakeValue;\nn');
    assert.deepEqual(imported, { ok: true, value: { v: 42 } });
    const typed = await executor.execute("const s: string = fakeValue;");
    assert.equal(typed.ok, false, "fakeValue is typed by @types/fakepkg (a number), so it is not a string");
    assert.match(typed.ok ? "" : typed.error.evalue, /not assignable to type 'string'/);

    const node = await executor.execute("const v: string = process.version;\nBuffer.from(v).length > 0");
    assert.deepEqual(node, { ok: true, value: { v: true } });

    // The browser converter (the DOM's declarations) is made when a browser cell first needs it.
    const browser = await executor.execute("/** @module page @browser */\nexport const title: string = document.title;");
    assert.deepEqual(browser, { ok: true, value: undefined });
    const inNode = await executor.execute("/** @module server */\nexport const title: string = document.title;");
    assert.equal(inNode.ok, false, "document is not declared for a node module");
    assert.match(inNode.ok ? "" : inNode.error.evalue, /Cannot find name 'document'/);
  } finally {
    executor.close();
  }
});
