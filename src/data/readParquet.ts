import { readFile } from "node:fs/promises";
import { parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import type { AsyncBuffer, ColumnData, SchemaTree } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import type { Column, ColumnType, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { Interner, TimestampFormatter } from "./inferTypes.js";

interface ColumnPlan {
  name: string;
  type: ColumnType;
  /** For dates: how to turn the decoded number (ms since 1970) into ISO text. */
  formatter?: TimestampFormatter;
  nested: boolean;
}

/**
 * A Parquet file (any codec hyparquet-compressors knows: snappy, gzip, zstd, brotli, lz4) into
 * columns, one column chunk at a time, written straight into preallocated arrays. Integers and
 * floats (int64 too, as doubles) are numbers; booleans booleans; DATE and TIMESTAMP are date
 * columns holding ISO text (`2001-01-01T00:01:00`, with `Z` when the file says UTC); strings are
 * text. Equal strings share one instance (dictionary pages decode to shared strings within a
 * row group; an Interner carries that across row groups). Nested columns are kept as JSON text.
 */
export async function readParquetFile(file: string, source: string): Promise<Dataset> {
  // One read of the whole file: hyparquet asks for many small slices, and a stream per slice costs more than the bytes.
  const bytes = await readFile(file);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const buffer: AsyncBuffer = { byteLength: ab.byteLength, slice: (start, end) => ab.slice(start, end) };
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(buffer, { parsers: msParsers });
  } catch (e) {
    throw new DwError("DATA_ERROR", `${source} is not a readable Parquet file: ${(e as Error).message}.`, {
      hint: "Check that the file was written completely and is Parquet (it starts and ends with PAR1).",
      details: { file: source },
    });
  }
  const rows = Number(metadata.num_rows);
  const plans = parquetSchema(metadata).children.map(planColumn);
  if (plans.length === 0) throw new DwError("DATA_ERROR", `${source} has no columns.`, { details: { file: source } });
  if (rows === 0) throw new DwError("DATA_ERROR", `${source} has columns (${plans.map((p) => p.name).join(", ")}) but no rows.`, { details: { file: source } });
  const sinks = new Map(plans.map((p) => [p.name, new ColumnSink(p, rows)]));
  try {
    // One column of one row group at a time: hyparquet assembles a nullable column into a plain
    // JS array (a boxed number per value), so decoding a whole file at once, as it does by
    // default, holds all of those arrays together (765 MB for 1M rows × 20 nullable columns).
    let start = 0;
    for (const group of metadata.row_groups) {
      const end = start + Number(group.num_rows);
      for (const plan of plans) {
        await parquetRead({
          file: buffer,
          metadata,
          compressors,
          parsers: msParsers,
          columns: [plan.name],
          rowStart: start,
          rowEnd: end,
          onChunk: (chunk: ColumnData) => sinks.get(chunk.columnName)?.write(chunk),
        });
      }
      start = end;
    }
  } catch (e) {
    throw new DwError("DATA_ERROR", `${source}: Parquet data could not be decoded: ${(e as Error).message}.`, {
      hint: "The file may be damaged or use an encoding dw cannot read; rewrite it with pyarrow or DuckDB.",
      details: { file: source },
    });
  }
  return { columns: plans.map((p) => sinks.get(p.name)!.finish()), rows };
}

/** Timestamps and dates decoded as milliseconds since 1970; each column formats them itself. */
const msParsers = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
  dateFromDays: (days: number) => days * 86_400_000,
};

function planColumn(node: SchemaTree): ColumnPlan {
  const el = node.element;
  const name = el.name;
  if (node.children.length > 0) return { name, type: "string", nested: true };
  const lt = el.logical_type;
  const ct = el.converted_type;
  if (lt?.type === "DATE" || ct === "DATE") return { name, type: "date", formatter: new TimestampFormatter(false, true), nested: false };
  if (lt?.type === "TIMESTAMP") return { name, type: "date", formatter: new TimestampFormatter(lt.isAdjustedToUTC), nested: false };
  if (ct === "TIMESTAMP_MILLIS" || ct === "TIMESTAMP_MICROS" || el.type === "INT96")
    return { name, type: "date", formatter: new TimestampFormatter(true), nested: false };
  if (el.type === "BOOLEAN") return { name, type: "boolean", nested: false };
  if (
    el.type === "INT32" ||
    el.type === "INT64" ||
    el.type === "FLOAT" ||
    el.type === "DOUBLE" ||
    lt?.type === "DECIMAL" ||
    ct === "DECIMAL" ||
    lt?.type === "FLOAT16"
  ) {
    if (lt?.type === "TIME" || ct === "TIME_MILLIS" || ct === "TIME_MICROS") return { name, type: "string", nested: false };
    return { name, type: "number", nested: false };
  }
  return { name, type: "string", nested: false };
}

class ColumnSink {
  private readonly nums?: Float64Array;
  private readonly texts?: (string | null)[];
  private nulls = 0;
  private readonly interner = new Interner();

  constructor(
    private readonly plan: ColumnPlan,
    private readonly rows: number,
  ) {
    if (plan.type === "number") this.nums = new Float64Array(rows);
    else this.texts = new Array<string | null>(rows).fill(null);
  }

  write(chunk: ColumnData): void {
    const data = chunk.columnData as ArrayLike<unknown>;
    const at = chunk.rowStart;
    const end = Math.min(data.length, this.rows - at);
    if (this.nums) {
      const nums = this.nums;
      if (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint32Array) {
        nums.set(data.subarray(0, end), at);
        return;
      }
      for (let i = 0; i < end; i++) {
        const v = data[i];
        if (v === null || v === undefined) {
          nums[at + i] = NaN;
          this.nulls++;
        } else nums[at + i] = typeof v === "number" ? v : Number(v);
      }
      return;
    }
    const texts = this.texts!;
    const { formatter, type, nested } = this.plan;
    for (let i = 0; i < end; i++) {
      const v = data[i];
      if (v === null || v === undefined) {
        this.nulls++;
        continue;
      }
      if (formatter) texts[at + i] = formatter.format(typeof v === "number" ? v : Number(v));
      else if (type === "boolean") texts[at + i] = v ? "true" : "false";
      else if (typeof v === "string") texts[at + i] = this.interner.intern(v);
      else if (nested || typeof v === "object")
        texts[at + i] = this.interner.intern(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x)));
      else texts[at + i] = this.interner.intern(String(v));
    }
  }

  finish(): Column {
    const { name, type } = this.plan;
    if (this.nums) {
      // Typed-array chunks carry no nulls (a required column); NaN read from the file counts as missing too.
      let nulls = 0;
      for (const v of this.nums) if (v !== v) nulls++;
      return { name, type: "number", values: this.nums, nulls };
    }
    return { name, type: type === "number" ? "string" : type, values: this.texts!, nulls: this.nulls };
  }
}
