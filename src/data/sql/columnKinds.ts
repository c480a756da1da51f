import { DuckDBTypeId } from "@duckdb/node-api";

/** How dw treats a SQL column: the four dataset types, with timestamps apart from dates for formatting. */
export type SqlKind = "number" | "boolean" | "date" | "timestamp" | "timestamptz" | "string";

export interface SqlColumn {
  name: string;
  kind: SqlKind;
}

const DUCK_NUMBER = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.BIGNUM,
]);

export function duckdbKind(id: DuckDBTypeId): SqlKind {
  if (DUCK_NUMBER.has(id)) return "number";
  if (id === DuckDBTypeId.BOOLEAN) return "boolean";
  if (id === DuckDBTypeId.DATE) return "date";
  if (id === DuckDBTypeId.TIMESTAMP || id === DuckDBTypeId.TIMESTAMP_S || id === DuckDBTypeId.TIMESTAMP_MS || id === DuckDBTypeId.TIMESTAMP_NS)
    return "timestamp";
  if (id === DuckDBTypeId.TIMESTAMP_TZ) return "timestamptz";
  return "string";
}

/**
 * The Parquet column a DuckDB result column becomes. Integers that fit in 64 bits and doubles stay;
 * wider or decimal numbers become DOUBLE (what a dw Dataset holds anyway, and what every Parquet
 * reader can decode); time types become TIMESTAMP; anything else (lists, structs, intervals, UUIDs)
 * is written as its text.
 */
export function duckdbParquetCast(id: DuckDBTypeId, expr: string): string {
  switch (id) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.VARCHAR:
      return expr;
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.BIGNUM:
      return `CAST(${expr} AS DOUBLE)`;
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return `CAST(${expr} AS TIMESTAMP)`;
    default:
      return `CAST(${expr} AS VARCHAR)`;
  }
}

/** PostgreSQL type OIDs (pg_type), for the built-in types dw maps; everything else is text. */
const PG_TYPES: Record<number, { kind: SqlKind; duck: string }> = {
  16: { kind: "boolean", duck: "BOOLEAN" },
  20: { kind: "number", duck: "BIGINT" },
  21: { kind: "number", duck: "SMALLINT" },
  23: { kind: "number", duck: "INTEGER" },
  26: { kind: "number", duck: "BIGINT" },
  700: { kind: "number", duck: "DOUBLE" },
  701: { kind: "number", duck: "DOUBLE" },
  1700: { kind: "number", duck: "DOUBLE" },
  1082: { kind: "date", duck: "DATE" },
  1114: { kind: "timestamp", duck: "TIMESTAMP" },
  1184: { kind: "timestamptz", duck: "TIMESTAMPTZ" },
};

export function postgresKind(oid: number): SqlKind {
  return PG_TYPES[oid]?.kind ?? "string";
}

/** The DuckDB type a PostgreSQL column's text is cast to before it is written as Parquet. */
export function postgresDuckType(oid: number): string {
  return PG_TYPES[oid]?.duck ?? "VARCHAR";
}
