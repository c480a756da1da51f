import { readFile } from "node:fs/promises";
import {
  Bool,
  Dictionary,
  Field,
  Float64,
  Int32,
  RecordBatchFileWriter,
  Schema,
  Table,
  Type,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
} from "apache-arrow";
import type { Data, DataType, Vector } from "apache-arrow";
import type { Column, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { Interner, TimestampFormatter } from "./inferTypes.js";
import { registerArrowCodecs } from "./arrowCodecs.js";
import { decodeBytes } from "./decodeBytes.js";

/** Field metadata that marks a Utf8 column as dw's date type (ISO text), so it reads back as a date. */
const DW_TYPE = "dw:type";
/** Field metadata carrying a text column's `firstNonNumeric` (JSON) and `numericShare`. */
const FIRST_NON_NUMERIC = "dw:first_non_numeric";
const NUMERIC_SHARE = "dw:numeric_share";

/** An Arrow IPC file or stream (both are recognised by their first bytes) into columns. */
export async function readArrowFile(file: string, source: string): Promise<Dataset> {
  const [bytes] = await Promise.all([readFile(file), registerArrowCodecs()]);
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DwError("DATA_ERROR", `${source} is not a readable Arrow IPC file or stream: ${(e as Error).message}.`, {
      hint: "Write it with pyarrow (pa.ipc.new_file / new_stream) or apache-arrow's tableToIPC.",
      details: { file: source },
    });
  }
  // The bytes are this read's own: number columns can be views on them instead of copies.
  return datasetFromArrow(table, source, { owned: true });
}

/**
 * Columns from an Arrow table. Ints, floats and decimals become numbers (int64 as doubles);
 * Bool booleans; Date and Timestamp dates as ISO text; Utf8 and dictionary-encoded strings text,
 * sharing one string per distinct value; anything else (lists, structs, binary) its JSON text.
 * Floats, 8–32-bit ints, Utf8, dictionaries of Utf8 and Bool are read straight from their
 * buffers (ten times faster than iterating the vector); the rest through apache-arrow's values.
 * With `owned` (the table's buffers belong to this read, as readArrowFile's do, never a caller's
 * table) a column of Float64 in one chunk is a view on them, not a copy, its nulls written in place.
 */
export function datasetFromArrow(table: Table, source: string, options: { owned?: boolean } = {}): Dataset {
  if (table.schema.fields.length === 0) throw new DwError("DATA_ERROR", `${source} has no columns.`, { details: { file: source } });
  if (table.numRows === 0)
    throw new DwError("DATA_ERROR", `${source} has columns (${table.schema.fields.map((f) => f.name).join(", ")}) but no rows.`, { details: { file: source } });
  const columns = table.schema.fields.map((field, j) =>
    withMetadata(columnFromVector(field, table.getChildAt(j) as Vector, table.numRows, options.owned ?? false), field),
  );
  return { columns, rows: table.numRows };
}

function withMetadata(col: Column, field: Field): Column {
  if (col.type === "number") return col;
  const first = field.metadata.get(FIRST_NON_NUMERIC);
  const share = field.metadata.get(NUMERIC_SHARE);
  if (first !== undefined) col.firstNonNumeric = JSON.parse(first) as { value: string; line: number };
  if (share !== undefined) col.numericShare = Number(share);
  return col;
}

function columnFromVector(field: Field, vec: Vector, rows: number, owned: boolean): Column {
  const name = field.name;
  const type = field.type as DataType;
  const id = type.typeId;
  if (id === Type.Int || id === Type.Float || id === Type.Decimal) {
    const only = vec.data.length === 1 ? vec.data[0] : null;
    if (owned && only && only.values instanceof Float64Array && only.length === rows) {
      const values = only.values.subarray(only.offset, only.offset + rows);
      const bits = nullBits(only);
      if (bits) for (let k = 0; k < rows; k++) if (!isSet(bits, only.offset + k)) values[k] = NaN;
      let nulls = 0;
      for (let i = 0; i < rows; i++) if (values[i] !== values[i]) nulls++;
      return { name, type: "number", values, nulls };
    }
    const values = new Float64Array(rows);
    let nulls = 0;
    if (vec.data.every(hasPlainNumbers)) {
      let at = 0;
      for (const chunk of vec.data) {
        values.set(chunk.values.subarray(chunk.offset, chunk.offset + chunk.length) as ArrayLike<number>, at);
        const bits = nullBits(chunk);
        if (bits) for (let k = 0; k < chunk.length; k++) if (!isSet(bits, chunk.offset + k)) values[at + k] = NaN;
        at += chunk.length;
      }
      for (let i = 0; i < rows; i++) if (values[i] !== values[i]) nulls++;
      return { name, type: "number", values, nulls };
    }
    let i = 0;
    for (const v of vec) {
      if (v === null || v === undefined) {
        values[i++] = NaN;
        nulls++;
      } else {
        const n = typeof v === "number" ? v : Number(v as bigint);
        values[i++] = n;
        if (n !== n) nulls++;
      }
    }
    return { name, type: "number", values, nulls };
  }
  const values: (string | null)[] = new Array(rows);
  let nulls = 0;
  let i = 0;
  const put = (s: string | null) => {
    if (s === null) nulls++;
    values[i++] = s;
  };
  if (id === Type.Bool) {
    for (const chunk of vec.data) {
      const bits = chunk.values as Uint8Array;
      const valid = nullBits(chunk);
      for (let k = 0; k < chunk.length; k++) {
        const b = chunk.offset + k;
        put(!isSet(valid, b) ? null : isSet(bits, b) ? "true" : "false");
      }
    }
    return { name, type: "boolean", values, nulls };
  }
  if (id === Type.Date || id === Type.Timestamp) {
    const dateOnly = id === Type.Date;
    const tz = id === Type.Timestamp ? (type as DataType & { timezone?: string | null }).timezone : null;
    const fmt = new TimestampFormatter(Boolean(tz), dateOnly);
    for (const v of vec) put(v === null || v === undefined ? null : fmt.format(typeof v === "number" ? v : (v as Date).getTime()));
    return { name, type: "date", values, nulls };
  }
  const isText = id === Type.Utf8 || (id === Type.Dictionary && (type as Dictionary).dictionary.typeId === Type.Utf8);
  const textType = field.metadata.get(DW_TYPE) === "date" && isText ? "date" : "string";
  if (isText) {
    for (const chunk of vec.data) {
      const valid = nullBits(chunk);
      if (id === Type.Utf8) {
        const texts = utf8Strings(chunk as Data<Utf8>, new Interner());
        for (let k = 0; k < chunk.length; k++) put(isSet(valid, chunk.offset + k) ? texts[k] : null);
      } else {
        // Each distinct value decoded once, then shared by every row that has its code.
        const dict = (chunk as Data<Dictionary>).dictionary as Vector<Utf8> | undefined;
        const words = dict ? dict.data.flatMap((d) => utf8Strings(d, null)) : [];
        const codes = chunk.values as ArrayLike<number>;
        for (let k = 0; k < chunk.length; k++) put(isSet(valid, chunk.offset + k) ? (words[Number(codes[chunk.offset + k])] ?? null) : null);
      }
    }
    return { name, type: textType, values, nulls };
  }
  const interner = new Interner();
  for (const v of vec) {
    if (v === null || v === undefined) put(null);
    else if (typeof v === "string") put(interner.intern(v));
    else put(interner.intern(JSON.stringify(toJsonValue(v))));
  }
  return { name, type: textType, values, nulls };
}

/** Floats of 32 or 64 bits and ints of up to 32 bits: typed arrays whose values are already numbers. */
function hasPlainNumbers(chunk: Data): boolean {
  const t = chunk.type as DataType & { bitWidth?: number; precision?: number };
  if (t.typeId === Type.Float) return chunk.values instanceof Float64Array || chunk.values instanceof Float32Array;
  return t.typeId === Type.Int && (t.bitWidth ?? 64) <= 32;
}

/** The chunk's validity bitmap, or null when every slot has a value (apache-arrow's nullCount getter is too slow to ask per row). */
function nullBits(chunk: Data): Uint8Array | null {
  return chunk.nullCount > 0 && chunk.nullBitmap && chunk.nullBitmap.length > 0 ? chunk.nullBitmap : null;
}

/** Whether slot `b` (the chunk's offset included) has a value. */
function isSet(bits: Uint8Array | null, b: number): boolean {
  return bits === null || (bits[b >> 3] & (1 << (b & 7))) !== 0;
}

/** The strings of a Utf8 chunk (nulls included, as whatever their slot holds), shared through `interner` when given. */
function utf8Strings(chunk: Data<Utf8>, interner: Interner | null): string[] {
  const offsets = chunk.valueOffsets;
  const bytes = chunk.values;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = new Array(chunk.length);
  for (let k = 0; k < chunk.length; k++) {
    const s = decodeBytes(buf, offsets[chunk.offset + k], offsets[chunk.offset + k + 1]);
    out[k] = interner ? interner.intern(s) : s;
  }
  return out;
}

function toJsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v && typeof v === "object" && "toJSON" in v && typeof (v as { toJSON: unknown }).toJSON === "function") return (v as { toJSON(): unknown }).toJSON();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  return v;
}

/**
 * An Arrow table holding a dataset as dw reads it: Float64 numbers, Bool booleans, dictionary-
 * encoded Utf8 text, and dates as Utf8 ISO text marked `dw:type=date` (dates from kernel values
 * come with any offset or none, which no single Arrow timestamp type keeps as written). A text
 * column's numeric share and first non-number ride along in the field's metadata, so errors
 * about them still quote the value and line after a round trip. Built straight from the typed
 * arrays, without apache-arrow's value-by-value builders.
 */
export function datasetToArrow(ds: Dataset): Table {
  const fields: Field[] = [];
  const vectors: Vector[] = [];
  for (const [j, c] of ds.columns.entries()) {
    const nullBitmap = c.nulls > 0 ? validity(c, ds.rows) : undefined;
    const base = { length: ds.rows, nullCount: c.nulls, nullBitmap };
    if (c.type === "number") {
      fields.push(new Field(c.name, new Float64(), true));
      vectors.push(makeVector(makeData({ type: new Float64(), data: c.values, ...base })));
      continue;
    }
    const metadata = new Map<string, string>();
    if (c.firstNonNumeric) metadata.set(FIRST_NON_NUMERIC, JSON.stringify(c.firstNonNumeric));
    if (c.numericShare !== undefined) metadata.set(NUMERIC_SHARE, String(c.numericShare));
    if (c.type === "boolean") {
      const bits = new Uint8Array(Math.ceil(ds.rows / 8));
      for (let i = 0; i < ds.rows; i++) if (c.values[i] === "true") bits[i >> 3] |= 1 << (i & 7);
      fields.push(new Field(c.name, new Bool(), true, metadata));
      vectors.push(makeVector(makeData({ type: new Bool(), data: bits, ...base })));
    } else if (c.type === "date") {
      metadata.set(DW_TYPE, "date");
      fields.push(new Field(c.name, new Utf8(), true, metadata));
      vectors.push(makeVector(utf8Data(c.values, nullBitmap)));
    } else {
      // Codes in order of first appearance and an explicit dictionary id: apache-arrow's default
      // id comes from a global counter, so the same data would give different bytes, and so a
      // different content hash, each time.
      const t = new Dictionary(new Utf8(), new Int32(), j);
      const codeOf = new Map<string, number>();
      const words: string[] = [];
      const codes = new Int32Array(ds.rows);
      for (let i = 0; i < ds.rows; i++) {
        const v = c.values[i];
        if (v === null) continue;
        let code = codeOf.get(v);
        if (code === undefined) {
          code = words.push(v) - 1;
          codeOf.set(v, code);
        }
        codes[i] = code;
      }
      fields.push(new Field(c.name, t, true, metadata));
      vectors.push(makeVector(makeData({ type: t, data: codes, dictionary: makeVector(utf8Data(words)), ...base })));
    }
  }
  const schema = new Schema(fields);
  const data = Object.fromEntries(ds.columns.map((c, j) => [c.name, vectors[j]]));
  return new Table(schema, data);
}

/** Arrow's validity bitmap: bit i set when row i has a value (NaN or null marks a missing one). */
function validity(c: Column, rows: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(rows / 8));
  if (c.type === "number") {
    for (let i = 0; i < rows; i++) if (c.values[i] === c.values[i]) bits[i >> 3] |= 1 << (i & 7);
  } else {
    for (let i = 0; i < rows; i++) if (c.values[i] !== null) bits[i >> 3] |= 1 << (i & 7);
  }
  return bits;
}

/** A Utf8 chunk of `values`: a null takes an empty slot, and `nullBitmap` (required when there are nulls) says which. */
function utf8Data(values: readonly (string | null)[], nullBitmap?: Uint8Array): Data<Utf8> {
  const offsets = new Int32Array(values.length + 1);
  let bytes = Buffer.allocUnsafe(Math.max(1024, values.length * 16));
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null) {
      if (at + v.length * 3 > bytes.length) {
        const grown = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + v.length * 3));
        bytes.copy(grown, 0, 0, at);
        bytes = grown;
      }
      at += bytes.write(v, at, "utf8");
    }
    offsets[i + 1] = at;
  }
  const data = new Uint8Array(at);
  data.set(bytes.subarray(0, at));
  const nullCount = nullBitmap ? values.reduce((n, v) => (v === null ? n + 1 : n), 0) : 0;
  return makeData({ type: new Utf8(), length: values.length, valueOffsets: offsets, data, nullCount, nullBitmap });
}

/** The bytes of an Arrow IPC file holding `table`. */
export function arrowFileBytes(table: Table): Uint8Array {
  return tableToIPC(table, "file");
}

/**
 * The same bytes as arrowFileBytes, as the pieces the writer made: views on the columns' own
 * arrays between the metadata, for writing to a file without joining them into one buffer
 * first (which would hold a second copy of every column).
 */
export async function arrowFileChunks(table: Table): Promise<Uint8Array[]> {
  const writer = RecordBatchFileWriter.writeAll(table);
  const chunks: Uint8Array[] = [];
  for await (const chunk of writer) chunks.push(chunk);
  return chunks;
}

/** Whether `v` is an apache-arrow Table, also one from another copy of the library (a kernel's own import). */
export function isArrowTable(v: unknown): v is Table {
  if (v instanceof Table) return true;
  if (v === null || typeof v !== "object") return false;
  const t = v as { schema?: { fields?: unknown }; numRows?: unknown; getChild?: unknown };
  return Array.isArray(t.schema?.fields) && typeof t.numRows === "number" && typeof t.getChild === "function";
}
