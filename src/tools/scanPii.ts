import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { PiiFinding } from "../governance/pii/PiiFinding.js";
import { DEFAULT_PII_SAMPLE_SIZE } from "../governance/pii/scanDatasetPii.js";

export const ScanPiiInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset to scan, as load_dataset registered it."),
  columns: z.array(z.string().min(1)).min(1).optional().describe("Columns to scan; defaults to every column."),
  sample_size: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`Non-missing values looked at per column; larger columns are sampled evenly and repeatably. Default ${DEFAULT_PII_SAMPLE_SIZE}.`),
});
export type ScanPiiInput = z.infer<typeof ScanPiiInput>;

export const ScanPiiOutput = z.object({
  dataset_id: z.string(),
  rows: z.number().int(),
  findings: z.array(PiiFinding).describe("One entry per column and entity found, most confident first within a column."),
  summary: z.object({
    columns_scanned: z.number().int().describe("Columns looked at."),
    columns_with_pii: z.number().int().describe("Columns with at least one finding."),
    values_scanned: z.number().int().describe("Non-missing values looked at, over all columns."),
    sample_size: z.number().int().describe("The per-column sample size used."),
    elapsed_ms: z.number().describe("Time the scan took (reading the dataset not included), in milliseconds."),
  }),
});
export type ScanPiiOutput = z.infer<typeof ScanPiiOutput>;

/**
 * Scans a dataset for personal data by column name and by value (a sample of each large column):
 * emails, phone numbers, card numbers (Luhn), IBANs (mod-97), US SSNs, IP and MAC addresses, dates
 * of birth, postal addresses and person names. Each finding has the share of matching values, a
 * confidence and masked examples.
 *
 * @example
 * ```ts
 * const scan = await dw.scanPii({ dataset_id: "customers" });
 * scan.findings[0]; // { column: "email", entity: "EMAIL_ADDRESS", share: 1, confidence: 0.985, evidence: "name+value", … }
 * ```
 */
export const scanPii = defineTool({
  name: "scan_pii",
  annotations: { effect: "reads", long: true },
  description:
    "Find personal data (emails, phones, card numbers, IBANs, SSNs, IP/MAC addresses, birth dates, names, addresses) in a dataset's columns, by name and by value, with a share, a confidence and masked examples per finding.",
  input: ScanPiiInput,
  output: ScanPiiOutput,
  magic: { positional: "dataset_id", aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const { readDatasetRecord } = await import("../data/datasetRecords.js");
    const { dataVersion } = await import("../data/profileCacheKey.js");
    const { cachedPiiScans } = await import("../governance/pii/cachedPiiScans.js");
    // A column's scan is kept per data version (the rule cachedPiiScans shares with the governance
    // gates), so the dataset is read (and a column scanned) only when no scan of it is stored.
    const record = await readDatasetRecord(ctx.workspace, input.dataset_id);
    const names = input.columns ?? record.columns.map((c) => c.name);
    const sampleSize = input.sample_size ?? DEFAULT_PII_SAMPLE_SIZE;
    let started = performance.now();
    const data = async () => {
      // Imported only when a scan must be made: reading rows loads the readers (Arrow, Parquet).
      const { readDataset } = await import("../data/readDataset.js");
      const { ds } = await readDataset(ctx.workspace, record.dataset_id);
      started = performance.now();
      return ds;
    };
    const scans = await cachedPiiScans(ctx.workspace, { version: dataVersion(ctx.workspace, record) }, names, {
      field: "columns",
      datasetId: record.dataset_id,
      data,
      sampleSize,
    });
    const elapsed = performance.now() - started;
    return {
      dataset_id: record.dataset_id,
      rows: record.rows,
      findings: scans.flatMap((s) => s.findings),
      summary: {
        columns_scanned: scans.length,
        columns_with_pii: scans.filter((s) => s.findings.length > 0).length,
        values_scanned: scans.reduce((sum, s) => sum + s.sampled, 0),
        sample_size: sampleSize,
        elapsed_ms: Math.round(elapsed * 100) / 100,
      },
    };
  },
});
