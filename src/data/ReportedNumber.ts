import { z } from "zod";

/**
 * A double as a tool's JSON output reports it. JSON has no infinities (JSON.stringify writes null,
 * losing that a column's max is +∞), yet dw's data may hold them: a CSV cell `1e999` is a decimal
 * number past a double's range, read as +∞ as Python's float() and pandas read it, and Parquet,
 * Arrow and SQL sources carry them as they are. So ±Infinity is reported as the strings
 * "Infinity" and "-Infinity" (what JavaScript's String() and the notebook's HTML summary show,
 * and what Python's float() reads back); NaN, where a caller allows it, as null (see reportNumber).
 *
 * @example
 * ```ts
 * ReportedNumber.parse("Infinity"); // "Infinity"
 * ReportedNumber.safeParse(NaN).success; // false
 * ```
 */
export const ReportedNumber = z.union([z.number(), z.enum(["Infinity", "-Infinity"])]);
export type ReportedNumber = z.infer<typeof ReportedNumber>;
