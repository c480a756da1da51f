import { mkdir, readdir, rm } from "node:fs/promises";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { generatedSchemaFiles } from "./toolSchemas.js";

/** Writes schema/tools/*.json from the zod schemas and removes files of tools that no longer exist. */
async function generate(): Promise<void> {
  const schemaDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "schema");
  const files = generatedSchemaFiles();
  await mkdir(join(schemaDir, "tools"), { recursive: true });
  for (const [rel, text] of files) await atomicWrite(join(schemaDir, rel), text);
  for (const name of await readdir(join(schemaDir, "tools"))) {
    if (!files.has(`tools/${name}`)) await rm(join(schemaDir, "tools", name));
  }
  process.stdout.write(`wrote ${files.size} tool schemas to ${join(schemaDir, "tools")}\n`);
}

await generate();
