import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { datasetFromColumnar, datasetFromRecords } from "./columnsFromValues.js";

/**
 * A JSON file holding an array of records (`[{"a": 1}, …]`) or a columnar object
 * (`{"a": [1, 2], …}`). JSON has no streaming form of its own, so the file is parsed whole;
 * large data belongs in NDJSON, Parquet or Arrow.
 */
export async function readJsonFile(file: string, source: string): Promise<Dataset> {
  const text = await readFile(file, "utf8");
  if (text.trim() === "") throw new DwError("DATA_ERROR", `${source} is empty: expected a JSON array of records.`, { details: { file: source } });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(text, Number(at[1])) : undefined;
    throw new DwError("DATA_ERROR", `${source}${line ? `, line ${line}` : ""}: not valid JSON (${message}).`, {
      hint: "Fix the JSON there; for one record per line, name the file .ndjson or .jsonl.",
      details: { file: source, line },
    });
  }
  if (Array.isArray(value)) return datasetFromRecords(value, (i) => ({ line: i + 1 }), source);
  if (value !== null && typeof value === "object" && Object.values(value).every((v) => Array.isArray(v))) return datasetFromColumnar(value as Record<string, unknown>, source);
  throw new DwError("DATA_ERROR", `${source}: expected an array of records ([{"column": value}, …]) or an object of column arrays, found ${value === null ? "null" : typeof value}.`, {
    hint: "Write the data as records, one object per row.",
    details: { file: source },
  });
}

/** One JSON object per line (NDJSON / JSON Lines), read line by line; blank lines are skipped. */
export async function readNdjsonFile(file: string, source: string): Promise<Dataset> {
  const records: unknown[] = [];
  const lines: number[] = [];
  let line = 0;
  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const text of rl) {
    line++;
    if (text.trim() === "") continue;
    try {
      records.push(JSON.parse(text));
    } catch (e) {
      rl.close();
      throw new DwError("DATA_ERROR", `${source}, line ${line}: not valid JSON (${(e as Error).message}).`, {
        hint: "Each line must hold one complete JSON object.",
        details: { file: source, line },
      });
    }
    lines.push(line);
  }
  if (records.length === 0) throw new DwError("DATA_ERROR", `${source} is empty: expected one JSON object per line.`, { details: { file: source } });
  return datasetFromRecords(records, (i) => ({ line: lines[i] }), source, "line");
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
