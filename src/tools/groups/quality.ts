import type { ToolDef } from "../defineTool.js";
import { runQualityCheck } from "../runQualityCheck.js";
import { getQualityScore } from "../getQualityScore.js";

/** The quality gate's tools. */
export const qualityTools = [runQualityCheck, getQualityScore] as unknown as readonly ToolDef[];
