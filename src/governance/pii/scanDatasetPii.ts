import type { Dataset } from "../../data/Dataset.js";
import { DwError } from "../../errors/DwError.js";
import type { PiiFinding } from "./PiiFinding.js";
import { scanColumnPii, type ColumnScan } from "./scanColumnPii.js";

export interface ScanPiiOptions {
  /** Columns to scan, by name; defaults to every column. */
  columns?: string[];
  /** Non-missing values looked at per column; larger columns are sampled. Default 10,000. */
  sampleSize?: number;
  /** Seed of the sample, so a scan is repeatable. */
  seed?: number;
}

export const DEFAULT_PII_SAMPLE_SIZE = 10_000;
export const DEFAULT_PII_SEED = 20240601;

/**
 * Finds personal data in a dataset, column by column, from the column's name and a sample of its
 * values: emails, phone numbers, card numbers, IBANs, US SSNs, IP and MAC addresses, dates of
 * birth, postal addresses and person names. Checksums and the column's name decide, so ids,
 * order numbers, plain dates and 7-digit integers are not reported. Examples are masked.
 *
 * @example
 * ```ts
 * const findings = scanDatasetPii(ds, { columns: ["email", "notes"] });
 * findings[0]; // { column: "email", entity: "EMAIL_ADDRESS", share: 1, confidence: 0.985, evidence: "name+value", … }
 * ```
 */
export function scanDatasetPii(ds: Dataset, options: ScanPiiOptions = {}): PiiFinding[] {
  return scanDatasetPiiColumns(ds, options).flatMap((c) => c.findings);
}

/** The same scan, with what was looked at per column (for summaries). */
export function scanDatasetPiiColumns(ds: Dataset, options: ScanPiiOptions = {}): ColumnScan[] {
  const sampleSize = options.sampleSize ?? DEFAULT_PII_SAMPLE_SIZE;
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new DwError("INVALID_INPUT", `The PII sample size must be a whole number of at least 1, not ${sampleSize}.`, {
      hint: `Leave it out for the default of ${DEFAULT_PII_SAMPLE_SIZE.toLocaleString("en-US")} values per column.`,
      details: { field: "sample_size" },
    });
  }
  const seed = options.seed ?? DEFAULT_PII_SEED;
  const columns = options.columns
    ? options.columns.map((name) => {
        const col = ds.columns.find((c) => c.name === name);
        if (!col) {
          throw new DwError("INVALID_INPUT", `Column '${name}' (columns) is not in the dataset.`, {
            hint: `Columns: ${ds.columns.map((c) => c.name).join(", ")}.`,
            details: { field: "columns", column: name },
          });
        }
        return col;
      })
    : ds.columns;
  return columns.map((col) => scanColumnPii(col, { sampleSize, seed }));
}
