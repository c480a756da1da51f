import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** A tool's name and description, as `dw help` lists them. */
export interface ToolSummary {
  name: string;
  description: string;
}

/** schema/tools/ of this checkout, from dist/src/cli/. */
const SCHEMA_DIR = fileURLToPath(new URL("../../../schema/tools/", import.meta.url));

/**
 * Every tool's name and description for `dw help`, in the order help lists them, read from the
 * generated schema/tools/<name>.json (the same text as the tool's definition: `npm run schema`
 * writes them and a test fails when they are stale), so listing the tools does not load zod and
 * 42 definitions. When a file is missing or is not what it should be (no description, another
 * tool's name), the definitions are loaded instead, so the list is never wrong or short.
 *
 * @example
 * const list = await toolSummaries(); // [{ name: "load_dataset", description: "Load a dataset…" }, …]
 */
export async function toolSummaries(): Promise<ToolSummary[]> {
  const { toolModules } = await import("../tools/toolModules.js");
  const read = await Promise.all(toolModules.map((t) => readSummary(t.name)));
  if (read.every((s): s is ToolSummary => s !== null)) return read;
  return Promise.all(toolModules.map((m) => m.definition()));
}

async function readSummary(name: string): Promise<ToolSummary | null> {
  const text = await readFile(`${SCHEMA_DIR}${name}.json`, "utf8").catch(() => null);
  if (text === null) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  // Checked by hand rather than with zod: loading zod is the cost this file exists to avoid.
  if (typeof doc !== "object" || doc === null) return null;
  const { name: named, description } = doc as Record<string, unknown>;
  return named === name && typeof description === "string" && description.length > 0 ? { name, description } : null;
}
