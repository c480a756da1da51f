import { reportNumber } from "./reportNumber.js";

/** Column types dw infers and records in a dataset's schema. */
export type ColumnType = "number" | "boolean" | "date" | "string";

export interface NumberColumn {
  name: string;
  type: "number";
  /** NaN marks a missing value. */
  values: Float64Array;
  nulls: number;
}

export interface TextColumn {
  name: string;
  type: "boolean" | "date" | "string";
  values: (string | null)[];
  nulls: number;
  /**
   * For a column that is text because some values are not numbers: the first such value and the
   * (1-based, header = line 1) line it is on, so an error can point at it.
   */
  firstNonNumeric?: { value: string; line: number };
  /** Share of the non-missing values that are numbers: near 1 means a numeric column with a few bad values. */
  numericShare?: number;
}

export type Column = NumberColumn | TextColumn;

/** A table held column by column: numbers in typed arrays, the rest as strings. */
export interface Dataset {
  columns: Column[];
  rows: number;
}

export function getColumn(ds: Dataset, name: string): Column | undefined {
  return ds.columns.find((c) => c.name === name);
}

export function schemaOf(ds: Dataset): { name: string; type: ColumnType; nulls: number }[] {
  return ds.columns.map((c) => ({ name: c.name, type: c.type, nulls: c.nulls }));
}

/**
 * The first `n` rows as records, for previews: JSON values, so a missing number is null and ±Infinity
 * (a CSV cell `1e999`) is "Infinity" / "-Infinity", as ReportedNumber says, where JSON would write null.
 */
export function headRecords(ds: Dataset, n: number): Record<string, string | number | boolean | null>[] {
  const out: Record<string, string | number | boolean | null>[] = [];
  for (let i = 0; i < Math.min(n, ds.rows); i++) {
    const row: Record<string, string | number | boolean | null> = {};
    for (const c of ds.columns) {
      if (c.type === "number") row[c.name] = reportNumber(c.values[i]);
      else if (c.type === "boolean") row[c.name] = c.values[i] === null ? null : c.values[i] === "true";
      else row[c.name] = c.values[i];
    }
    out.push(row);
  }
  return out;
}
