import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { parseCsv } from "../../../src/data/parseCsv.js";
import type { Dataset } from "../../../src/data/Dataset.js";

/** A CSV shipped in the vega-datasets package: real data with its real flaws. */
export function vegaPath(name: string): string {
  return join(repoRoot, "node_modules", "vega-datasets", "data", `${name}.csv`);
}

export function vegaText(name: string): string {
  return readFileSync(vegaPath(name), "utf8");
}

export function vega(name: string): Dataset {
  return parseCsv(vegaText(name), `${name}.csv`);
}

/** The CSV's header and the data lines for which `keep(fields, i)` holds (naive split: these files have no quoted commas). */
export function filterCsv(text: string, keep: (fields: string[], i: number) => boolean): string {
  const lines = text.trim().split("\n");
  return [lines[0], ...lines.slice(1).filter((l, i) => keep(l.split(","), i))].join("\n") + "\n";
}

/** Some columns of a CSV, in the given order. */
export function selectCsv(text: string, columns: string[]): string {
  const lines = text.trim().split("\n");
  const header = lines[0].split(",");
  const at = columns.map((c) => header.indexOf(c));
  if (at.includes(-1)) throw new Error(`no such column among ${header.join(", ")}`);
  return lines.map((l) => at.map((i) => l.split(",")[i]).join(",")).join("\n") + "\n";
}

export function csv(text: string, name = "test.csv"): Dataset {
  return parseCsv(text, name);
}

export const python = join(repoRoot, ".venv", "bin", "python");

/** Runs a Python snippet in the project's venv (pandas) with `file` as argv[1] and parses its JSON output. */
export function pandas<T>(code: string, file: string, dir: string): T {
  const script = join(dir, "snippet.py");
  writeFileSync(script, code);
  return JSON.parse(execFileSync(python, [script, file], { encoding: "utf8" })) as T;
}
