import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

test("the tree is formatted and passes the linter (npm run format fixes most of it)", () => {
  const biome = join(repo, "node_modules", "@biomejs", "biome", "bin", "biome");
  const r = spawnSync(process.execPath, [biome, "check", "--max-diagnostics=50", "--colors=off"], { cwd: repo, encoding: "utf8" });
  assert.equal(r.status, 0, `biome check found problems:\n${r.stdout}\n${r.stderr}`);
});
