import { tableToIPC } from "apache-arrow";
import type { Table } from "apache-arrow";
import { DwError } from "../errors/DwError.js";
import { datasetFromColumnar, datasetFromRecords } from "./columnsFromValues.js";
import { arrowFileBytes, datasetToArrow, isArrowTable } from "./arrowIpc.js";
import { Table as ArrowTable } from "apache-arrow";

/**
 * Kernel values as the bytes of an Arrow IPC file, the form dw caches them in: an apache-arrow
 * Table as it is (its own types kept), an array of records or a columnar object `{col: [...]}`
 * typed as JSON values are (see columnFromValues).
 */
export function kernelDataToArrow(data: unknown): Uint8Array {
  if (isArrowTable(data)) {
    if (data instanceof ArrowTable) return tableToIPC(data, "file");
    // A Table from another copy of apache-arrow (the kernel's own import): copy it column by column.
    const foreign = data as Table;
    const columnar: Record<string, unknown[]> = {};
    for (const f of foreign.schema.fields) columnar[f.name] = Array.from(foreign.getChild(f.name) ?? []);
    return arrowFileBytes(datasetToArrow(datasetFromColumnar(columnar, "the Arrow table in data")));
  }
  if (Array.isArray(data)) return arrowFileBytes(datasetToArrow(datasetFromRecords(data, (i) => ({ line: i + 1 }), "data", "record")));
  if (data !== null && typeof data === "object" && !ArrayBuffer.isView(data))
    return arrowFileBytes(datasetToArrow(datasetFromColumnar(data as Record<string, unknown>, "data")));
  const what = data === null ? "null" : typeof data === "string" ? `the text '${data.slice(0, 40)}'` : `a ${typeof data}`;
  throw new DwError("INVALID_INPUT", `data holds ${what}; load_dataset takes an array of records, a columnar object or an Arrow table as data.`, {
    hint:
      typeof data === "string"
        ? "Is that a kernel variable that is not defined yet? Define it first, or pass a file with --path."
        : 'Pass e.g. [{"x": 1, "y": "a"}, …] or {"x": [1, 2], "y": ["a", "b"]}.',
    details: { field: "data" },
  });
}
