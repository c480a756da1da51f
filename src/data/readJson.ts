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
    const pos = at ? Number(at[1]) : jsonErrorOffset(text);
    const line = pos >= 0 ? lineAt(text, pos) : undefined;
    throw new DwError("DATA_ERROR", `${source}${line ? `, line ${line}` : ""}: not valid JSON (${message}).`, {
      hint: "Fix the JSON there; for one record per line, name the file .ndjson or .jsonl.",
      details: { file: source, line },
    });
  }
  if (Array.isArray(value)) return datasetFromRecords(value, (i) => ({ line: i + 1 }), source);
  if (value !== null && typeof value === "object" && Object.values(value).every((v) => Array.isArray(v))) {
    // {"data": [{...}, …]}, as many APIs wrap their rows: the records, not a column of objects.
    const entries = Object.entries(value as Record<string, unknown[]>);
    if (entries.length === 1 && entries[0][1].length > 0 && entries[0][1].every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) {
      return datasetFromRecords(entries[0][1], (i) => ({ line: i + 1 }), `${source} (${entries[0][0]})`);
    }
    return datasetFromColumnar(value as Record<string, unknown>, source);
  }
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

/**
 * Where JSON.parse gave up, for messages that do not say (V8 names only the token): a plain
 * recursive-descent check of JSON's grammar, run only after a failure. -1 if it finds none.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return typeof at === "number" ? at : -1;
  }
}
