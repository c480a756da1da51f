import type { ToolDef } from "./defineTool.js";
import { loadDataset } from "./loadDataset.js";
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

/** Every tool, in the order `help` lists them. Wire names (snake_case) meet TypeScript names (camelCase) here. */
export const tools: readonly ToolDef[] = [loadDataset, trainModel, registerModel, getModelVersions, deployModel, productionize, createExperiment, logMetrics, compareExperiments, getFeatureStats, suggestFeatures, evaluateModel, explainModel, selectModel, createFeaturePipeline] as unknown as readonly ToolDef[];

export function getTool(name: string): ToolDef | undefined {
  return tools.find((t) => t.name === name || t.camelName === name);
}
