import { DwError } from "../../errors/DwError.js";
import type { SqlColumn } from "../../data/sql/columnKinds.js";
import { quoteIdent } from "../../data/sql/sqlText.js";

/** A feature of the in-database fit: its value as a double in SQL, NULL when missing. */
export interface LinearFeatureColumn {
  name: string;
  kind: "number" | "boolean";
  /** The value as a double, NULL when missing (NaN counts as missing, booleans are 0/1). */
  value: string;
}

/**
 * The target and features of an in-database linear regression checked against the source's
 * columns, and each feature's value as SQL: numbers as doubles (NaN missing), booleans as 0/1. A
 * missing column, a non-numeric target, the target among the features, or a feature of another
 * type (text, dates: they need encoding, which the sampled path does) is an INVALID_INPUT naming
 * it. train_model checks with it before its gates run; trainLinearInDatabase before it fits.
 *
 * @example
 * ```ts
 * linearFeatureColumns([{ name: "x", kind: "number" }, { name: "y", kind: "number" }], "y", ["x"]); // [{ name: "x", kind: "number", value: "NULLIF(…)" }]
 * ```
 */
export function linearFeatureColumns(columns: readonly SqlColumn[], target: string, features: readonly string[]): LinearFeatureColumn[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const column = (name: string, field: string) => {
    const c = byName.get(name);
    if (!c) {
      throw new DwError("INVALID_INPUT", `'${name}' is not a column of the source.`, {
        hint: `Columns: ${columns.map((x) => x.name).join(", ")}.`,
        details: { field, column: name },
      });
    }
    return c;
  };
  const targetCol = column(target, "target");
  if (targetCol.kind !== "number") {
    throw new DwError("INVALID_INPUT", `The target '${target}' holds ${targetCol.kind} values; a linear regression needs numbers.`, {
      hint: "Pick a numeric target, or train a classifier (logistic_regression, random_forest, …), which trains on a seeded sample of the table.",
      details: { field: "target", column: target },
    });
  }
  if (!features.length)
    throw new DwError("INVALID_INPUT", "No features to fit on.", { hint: "Pass the numeric columns to predict from.", details: { field: "features" } });
  return features.map((name): LinearFeatureColumn => {
    const c = column(name, "features");
    if (name === target)
      throw new DwError("INVALID_INPUT", `The target '${name}' is also listed as a feature.`, {
        hint: "Remove it from the features.",
        details: { field: "features", column: name },
      });
    const q = quoteIdent(name);
    if (c.kind === "number") return { name, kind: "number", value: asDouble(q) };
    if (c.kind === "boolean")
      return { name, kind: "boolean", value: `CASE WHEN ${q} THEN CAST(1 AS DOUBLE PRECISION) WHEN NOT ${q} THEN CAST(0 AS DOUBLE PRECISION) END` };
    throw new DwError(
      "INVALID_INPUT",
      `Feature '${name}' holds ${c.kind} values, which the in-database fit does not encode (it imputes numbers and booleans only).`,
      {
        hint: "Leave it out, cast it to a number in the query, or train another algorithm (random_forest, gradient_boosting, …), which trains on a seeded sample of the table and encodes every type.",
        details: { field: "features", column: name },
      },
    );
  });
}

/** A column as DOUBLE PRECISION, NaN as NULL (dw's missing number). */
export function asDouble(q: string): string {
  return `NULLIF(CAST(${q} AS DOUBLE PRECISION), CAST('NaN' AS DOUBLE PRECISION))`;
}
