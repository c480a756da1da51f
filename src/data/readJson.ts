import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { datasetFromColumnar, datasetFromRecords } from "./columnsFromValues.js";
import { invalidUtf8At } from "./decodeBytes.js";

/**
 * A JSON file holding an array of records (`[{"a": 1}, …]`) or a columnar object
 * (`{"a": [1, 2], …}`). JSON has no streaming form of its own, so the file is parsed whole;
 * large data belongs in NDJSON, Parquet or Arrow.
 */
export async function readJsonFile(file: string, source: string): Promise<Dataset> {
  const bytes = await readFile(file);
  checkUtf8(bytes, 0, bytes.length, { source, line: 1, offset: 0 });
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = bytes.toString("utf8", bom);
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
  throw new DwError(
    "DATA_ERROR",
    `${source}: expected an array of records ([{"column": value}, …]) or an object of column arrays, found ${value === null ? "null" : typeof value}.`,
    {
      hint: "Write the data as records, one object per row.",
      details: { file: source },
    },
  );
}

/** One JSON object per line (NDJSON / JSON Lines), read line by line; blank lines are skipped. */
export async function readNdjsonFile(file: string, source: string): Promise<Dataset> {
  await checkUtf8File(file, source);
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

/**
 * JSON is UTF-8 (RFC 8259 §8.1): bytes that are not are refused with the file, line and byte offset,
 * rather than read as U+FFFD (text the file never held).
 */
function checkUtf8(buf: Buffer, start: number, end: number, at: { source: string; line: number; offset: number }): void {
  const bad = invalidUtf8At(buf, start, end);
  if (bad < 0) return;
  let line = at.line;
  for (let i = start; i < bad; i++) if (buf[i] === 10) line++;
  const offset = at.offset + bad - start;
  throw new DwError("DATA_ERROR", `${at.source}, line ${line} (byte ${offset}): not UTF-8, which JSON must be.`, {
    hint: "Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8 in > out), then load it again.",
    details: { file: at.source, line, offset },
  });
}

/** checkUtf8 over a file read in chunks, a sequence cut by a chunk's end carried to the next. */
async function checkUtf8File(file: string, source: string): Promise<void> {
  let line = 1;
  let offset = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    const buf: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const end = completeSequencesEnd(buf);
    checkUtf8(buf, 0, end, { source, line, offset });
    for (let i = 0; i < end; i++) if (buf[i] === 10) line++;
    offset += end;
    carry = buf.subarray(end);
  }
  if (carry.length) checkUtf8(carry, 0, carry.length, { source, line, offset });
}

/** The end of `buf` less a multi-byte sequence its last bytes start but do not finish. */
function completeSequencesEnd(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = buf[n - back];
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
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
        else if (text[i] === "]") {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') {
      string();
      return;
    }
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
