#!/usr/bin/env node
// Compiles each src/**/*.wat to dist/src/**/*.wasm with wabt (the WebAssembly Binary Toolkit's
// own parser and encoder, built for JavaScript). Run after tsc; `npm run build` and
// `scripts/setup.mjs` do both.
//
//   node scripts/buildWasm.mjs
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function watFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? watFiles(join(dir, e.name)) : e.name.endsWith(".wat") ? [join(dir, e.name)] : [],
  );
}

/** SIMD and memory.copy (bulk memory): both in every Node that dw supports (20+). */
const FEATURES = { simd: true, bulk_memory: true };
const wabt = await wabtInit();
for (const file of watFiles(join(repo, "src"))) {
  const rel = relative(repo, file);
  let module;
  try {
    module = wabt.parseWat(rel, readFileSync(file, "utf8"), FEATURES);
    module.validate(FEATURES);
  } catch (e) {
    console.error(`${rel}: ${e.message}`);
    process.exit(1);
  }
  const { buffer } = module.toBinary({});
  module.destroy();
  const out = join(repo, "dist", rel.replace(/\.wat$/, ".wasm"));
  mkdirSync(dirname(out), { recursive: true });
  // Renamed into place, so a reader never loads half a module.
  writeFileSync(`${out}.tmp`, buffer);
  renameSync(`${out}.tmp`, out);
  console.log(`${relative(repo, out)}: ${buffer.length} bytes`);
}
