import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import { loadSqlDataset, type SqlDatasetFile } from "../../data/sql/loadSqlDataset.js";
import { parseDocument } from "../../workspace/parseDocument.js";
import { SampleDefinition } from "./SampleDefinition.js";

/**
 * Draws a recorded sample again: runs its SQL on its connection (or `connection`, which a
 * definition whose URL lost its password needs) and writes the rows to a Parquet file, as
 * load_dataset does. The definition comes from a run commit, so it is validated first. Whether the
 * rows are the same ones is for the caller to check (the sha256 of the data the run recorded).
 *
 * @example
 * ```ts
 * const again = await readSample(ctx, JSON.parse(runFile("data/sample.json")));
 * try { (await sha256Of(again.file)) === manifest.sha256; } finally { await again.cleanup(); }
 * ```
 */
export async function readSample(ctx: DomainContext, definition: unknown, connection?: string): Promise<SqlDatasetFile> {
  const def = parseDocument(SampleDefinition, JSON.stringify(definition), {
    label: "The sample definition is not one dw wrote",
    hint: "Use the sample definition of the run that drew it, unchanged.",
    details: { field: "sample" },
  });
  if (def.connection_redacted && connection === undefined) {
    throw new DwError("INVALID_INPUT", `The sample was drawn from ${def.connection}, whose password is not recorded.`, {
      hint: "Pass the connection again, best as a name whose DW_CONNECTION_<NAME> holds the URL.",
      details: { field: "connection", connection: def.connection },
    });
  }
  return loadSqlDataset(ctx, { query: def.sql, connection: connection ?? def.connection });
}
