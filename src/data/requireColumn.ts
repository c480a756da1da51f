import { DwError } from "../errors/DwError.js";
import { getColumn, type Column, type Dataset } from "./Dataset.js";

/** The column called `name`, or an INVALID_INPUT error naming it, the input field and the columns there are. */
export function requireColumn(ds: Dataset, name: string, field: string, datasetId: string): Column {
  const col = getColumn(ds, name);
  if (!col) {
    throw new DwError("INVALID_INPUT", `Column '${name}' (${field}) is not in dataset '${datasetId}'.`, {
      hint: `Columns: ${ds.columns.map((c) => c.name).join(", ")}.`,
      details: { field, column: name, dataset_id: datasetId },
    });
  }
  return col;
}
