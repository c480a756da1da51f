import type { ToolDef } from "../defineTool.js";
import { loadDataset } from "../loadDataset.js";

/** Data sources and the catalog. */
export const dataTools = [loadDataset] as unknown as readonly ToolDef[];
