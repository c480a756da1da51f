import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type * as ts from "@tslab/typescript-for-tslab";
import { expandShorthandProperties } from "../../kernel/expandShorthandProperties.js";
import { createExecutor } from "../../kernel/executor.js";

const fromTslab = createRequire(createRequire(import.meta.url).resolve("tslab/package.json"));
const typescript = fromTslab("@tslab/typescript-for-tslab") as typeof ts;

test("shorthand properties are written out in full, and nothing else changes", () => {
  assert.equal(expandShorthandProperties("const x = 1;", typescript), "const x = 1;");
  assert.equal(expandShorthandProperties("f({ dataset_id: 'w', features })", typescript), "f({ dataset_id: 'w', features: features })");
  assert.equal(expandShorthandProperties("({ a = 1, b } = o);", typescript), "({ a: a = 1, b: b } = o);");
  assert.equal(
    expandShorthandProperties("const { a, b: c } = o; g({ a, n: { c } })", typescript),
    "const { a, b: c } = o; g({ a: a, n: { c: c } })",
    "a binding pattern is left alone",
  );
  assert.equal(expandShorthandProperties("const s = `{ a }`; // { b }", typescript), "const s = `{ a }`; // { b }", "strings and comments are not code");
  const lines = "const o = {\n  a,\n  b,\n};\nthrow new Error('x');";
  assert.equal(expandShorthandProperties(lines, typescript).split("\n").length, lines.split("\n").length, "lines stay where they were");
});

test("in the kernel's executor, a shorthand property reads a variable an earlier cell declared", async () => {
  const executor = createExecutor({ rootDir: process.cwd() });
  try {
    assert.deepEqual(await executor.execute("const features = ['a', 'b'];"), { ok: true, value: undefined });
    const out = await executor.execute("({ target: 't', features })");
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(out.value?.v, { target: "t", features: ["a", "b"] });
  } finally {
    executor.close();
  }
});
