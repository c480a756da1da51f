import { readFile } from "node:fs/promises";
import { Bool, Dictionary, Field, Float64, Int32, Schema, Table, Type, Utf8, makeVector, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import type { DataType, Vector } from "apache-arrow";
import type { Column, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { Interner, TimestampFormatter } from "./inferTypes.js";
import { registerArrowCodecs } from "./arrowCodecs.js";

registerArrowCodecs();

/** Field metadata that marks a Utf8 column as dw's date type (ISO text), so it reads back as a date. */
const DW_TYPE = "dw:type";

/** An Arrow IPC file or stream (both are recognised by their first bytes) into columns. */
export async function readArrowFile(file: string, source: string): Promise<Dataset> {
  const bytes = await readFile(file);
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DwError("DATA_ERROR", `${source} is not a readable Arrow IPC file or stream: ${(e as Error).message}.`, {
      hint: "Write it with pyarrow (pa.ipc.new_file / new_stream) or apache-arrow's tableToIPC.",
      details: { file: source },
    });
  }
  return datasetFromArrow(table, source);
}

/**
 * Columns from an Arrow table. Ints, floats and decimals become numbers (int64 as doubles);
 * Bool booleans; Date and Timestamp dates as ISO text; Utf8 and dictionary-encoded strings text,
 * sharing one string per distinct value; anything else (lists, structs, binary) its JSON text.
 */
export function datasetFromArrow(table: Table, source: string): Dataset {
  if (table.schema.fields.length === 0) throw new DwError("DATA_ERROR", `${source} has no columns.`, { details: { file: source } });
  if (table.numRows === 0) throw new DwError("DATA_ERROR", `${source} has columns (${table.schema.fields.map((f) => f.name).join(", ")}) but no rows.`, { details: { file: source } });
  const columns = table.schema.fields.map((field, j) => columnFromVector(field, table.getChildAt(j) as Vector, table.numRows));
  return { columns, rows: table.numRows };
}

function columnFromVector(field: Field, vec: Vector, rows: number): Column {
  const name = field.name;
  const type = field.type as DataType;
  const id = type.typeId;
  if (id === Type.Int || id === Type.Float || id === Type.Decimal) {
    const values = new Float64Array(rows);
    let nulls = 0;
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
    for (const v of vec) put(v === null || v === undefined ? null : v ? "true" : "false");
    return { name, type: "boolean", values, nulls };
  }
  if (id === Type.Date || id === Type.Timestamp) {
    const dateOnly = id === Type.Date;
    const tz = id === Type.Timestamp ? (type as DataType & { timezone?: string | null }).timezone : null;
    const fmt = new TimestampFormatter(Boolean(tz), dateOnly);
    for (const v of vec) put(v === null || v === undefined ? null : fmt.format(typeof v === "number" ? v : (v as Date).getTime()));
    return { name, type: "date", values, nulls };
  }
  const interner = new Interner();
  const isText = id === Type.Utf8 || id === Type.LargeUtf8 || (id === Type.Dictionary && isTextType((type as Dictionary).dictionary));
  for (const v of vec) {
    if (v === null || v === undefined) put(null);
    else if (isText || typeof v === "string") put(interner.intern(v as string));
    else put(interner.intern(JSON.stringify(toJsonValue(v))));
  }
  return { name, type: field.metadata.get(DW_TYPE) === "date" && isText ? "date" : "string", values, nulls };
}

function isTextType(t: DataType): boolean {
  return t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8;
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
 * come with any offset or none, which no single Arrow timestamp type keeps as written).
 */
export function datasetToArrow(ds: Dataset): Table {
  const fields: Field[] = [];
  const vectors: Vector[] = [];
  for (const [j, c] of ds.columns.entries()) {
    if (c.type === "number") {
      const valid = new Uint8Array(Math.ceil(ds.rows / 8));
      for (let i = 0; i < ds.rows; i++) if (!Number.isNaN(c.values[i])) valid[i >> 3] |= 1 << (i & 7);
      const vec = makeVector({ type: new Float64(), data: c.values, nullBitmap: c.nulls ? valid : undefined, nullCount: c.nulls, length: ds.rows });
      fields.push(new Field(c.name, new Float64(), true));
      vectors.push(vec);
    } else if (c.type === "boolean") {
      fields.push(new Field(c.name, new Bool(), true));
      vectors.push(vectorFromArray(c.values.map((v) => (v === null ? null : v === "true")), new Bool()));
    } else if (c.type === "date") {
      fields.push(new Field(c.name, new Utf8(), true, new Map([[DW_TYPE, "date"]])));
      vectors.push(vectorFromArray(c.values, new Utf8()));
    } else {
      // An explicit dictionary id: apache-arrow's default comes from a global counter, so the
      // same data would give different bytes, and so a different content hash, each time.
      const t = new Dictionary(new Utf8(), new Int32(), j);
      fields.push(new Field(c.name, t, true));
      vectors.push(vectorFromArray(c.values, t));
    }
  }
  const schema = new Schema(fields);
  const data = Object.fromEntries(ds.columns.map((c, j) => [c.name, vectors[j]]));
  return new Table(schema, data);
}

/** The bytes of an Arrow IPC file holding `table`. */
export function arrowFileBytes(table: Table): Uint8Array {
  return tableToIPC(table, "file");
}

/** Whether `v` is an apache-arrow Table, also one from another copy of the library (a kernel's own import). */
export function isArrowTable(v: unknown): v is Table {
  if (v instanceof Table) return true;
  if (v === null || typeof v !== "object") return false;
  const t = v as { schema?: { fields?: unknown }; numRows?: unknown; getChild?: unknown };
  return Array.isArray(t.schema?.fields) && typeof t.numRows === "number" && typeof t.getChild === "function";
}
