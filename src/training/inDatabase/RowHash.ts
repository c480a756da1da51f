import { z } from "zod";

/**
 * Which of the engines' hash functions defines a row's hash (rowHashSql): `hash` is DuckDB's;
 * `hash_record_extended` (PostgreSQL 14 and later) hashes the row's values in binary;
 * `hashtextextended` (PostgreSQL 11 and later) hashes the row's text, as dw did before it used
 * hash_record_extended and still does on a server older than 14. The same data and seed give
 * different rows under different functions, so a run records which one drew its split.
 */
export const RowHash = z.enum(["hash", "hash_record_extended", "hashtextextended"]);
export type RowHash = z.infer<typeof RowHash>;
