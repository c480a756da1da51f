import type { ToolDef } from "./defineTool.js";
import { trainModel } from "./trainModel.js";
import { registerModel } from "./registerModel.js";
import { getModelVersions } from "./getModelVersions.js";
import { deployModel } from "./deployModel.js";
import { productionize } from "./productionize.js";
import { getFeatureStats } from "./getFeatureStats.js";
import { suggestFeatures } from "./suggestFeatures.js";
import { createExperiment } from "./createExperiment.js";
import { logMetrics } from "./logMetrics.js";
import { compareExperiments } from "./compareExperiments.js";
import { selectModel } from "./selectModel.js";
import { createFeaturePipeline } from "./createFeaturePipeline.js";
import { evaluateModel } from "./evaluateModel.js";
import { explainModel } from "./explainModel.js";
import { dataTools } from "./groups/data.js";
import { qualityTools } from "./groups/quality.js";
import { piiTools } from "./groups/pii.js";
import { governanceTools } from "./groups/governance.js";

const modelingTools = [
  trainModel,
  registerModel,
  getModelVersions,
  deployModel,
  productionize,
  createExperiment,
  logMetrics,
  compareExperiments,
  getFeatureStats,
  suggestFeatures,
  evaluateModel,
  explainModel,
  selectModel,
  createFeaturePipeline,
] as unknown as readonly ToolDef[];

/**
 * Every tool, in the order `help` lists them. Wire names (snake_case) meet TypeScript names
 * (camelCase) here. Each group of tools lists itself in its own file under groups/.
 */
export const tools: readonly ToolDef[] = [...dataTools, ...modelingTools, ...qualityTools, ...piiTools, ...governanceTools];

export function getTool(name: string): ToolDef | undefined {
  return tools.find((t) => t.name === name || t.camelName === name);
}
