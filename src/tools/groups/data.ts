import type { ToolDef } from "../defineTool.js";
import { loadDataset } from "../loadDataset.js";
import { searchDatasets } from "../searchDatasets.js";
import { getTableSchema } from "../getTableSchema.js";
import { getLineage } from "../getLineage.js";

/** Data sources and the catalog. */
export const dataTools = [loadDataset, searchDatasets, getTableSchema, getLineage] as unknown as readonly ToolDef[];
