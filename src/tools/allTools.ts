import { withRenderer, type ToolDef } from "./defineTool.js";
import { loadDataset } from "./loadDataset.js";
import { searchDatasets } from "./searchDatasets.js";
import { getTableSchema } from "./getTableSchema.js";
import { getLineage } from "./getLineage.js";
import { trainModel } from "./trainModel.js";
import { registerModel } from "./registerModel.js";
import { getModelVersions } from "./getModelVersions.js";
import { deployModel } from "./deployModel.js";
import { undeployModel } from "./undeployModel.js";
import { productionize } from "./productionize.js";
import { retrainModel } from "./retrainModel.js";
import { predict } from "./predict.js";
import { reproduceRun } from "./reproduceRun.js";
import { getWorkspaceState } from "./getWorkspaceState.js";
import { getMlStatus } from "./getMlStatus.js";
import { detectModelDrift } from "./detectModelDrift.js";
import { abTestModels } from "./abTestModels.js";
import { listRuns } from "./listRuns.js";
import { createExperiment } from "./createExperiment.js";
import { logMetrics } from "./logMetrics.js";
import { compareExperiments } from "./compareExperiments.js";
import { getRunHistory } from "./getRunHistory.js";
import { getFeatureStats } from "./getFeatureStats.js";
import { suggestFeatures } from "./suggestFeatures.js";
import { evaluateModel } from "./evaluateModel.js";
import { explainModel } from "./explainModel.js";
import { selectModel } from "./selectModel.js";
import { createFeaturePipeline } from "./createFeaturePipeline.js";
import { runQualityCheck } from "./runQualityCheck.js";
import { getQualityScore } from "./getQualityScore.js";
import { scanPii } from "./scanPii.js";
import { checkPolicy } from "./checkPolicy.js";
import { requestGovernanceReview } from "./requestGovernanceReview.js";
import { requestApproval } from "./requestApproval.js";
import { getGateReports } from "./getGateReports.js";
import { suggestNextSteps } from "./suggestNextSteps.js";
import { estimateCost } from "./estimateCost.js";
import { pushRegistry } from "./pushRegistry.js";
import { pullRegistry } from "./pullRegistry.js";
import { exportModel } from "./exportModel.js";
import { syncMlflow } from "./syncMlflow.js";
import { renderLoadDataset } from "./render/loadDataset.js";
import { renderSearchDatasets } from "./render/searchDatasets.js";
import { renderGetTableSchema } from "./render/getTableSchema.js";
import { renderGetLineage } from "./render/getLineage.js";
import { renderTrainModel } from "./render/trainModel.js";
import { renderRegisterModel } from "./render/registerModel.js";
import { renderGetModelVersions } from "./render/getModelVersions.js";
import { renderDeployModel } from "./render/deployModel.js";
import { renderUndeployModel } from "./render/undeployModel.js";
import { renderProductionize } from "./render/productionize.js";
import { renderRetrainModel } from "./render/retrainModel.js";
import { renderGetWorkspaceState } from "./render/getWorkspaceState.js";
import { renderGetMlStatus } from "./render/getMlStatus.js";
import { renderDetectModelDrift } from "./render/detectModelDrift.js";
import { renderAbTestModels } from "./render/abTestModels.js";
import { renderListRuns } from "./render/listRuns.js";
import { renderCreateExperiment } from "./render/createExperiment.js";
import { renderLogMetrics } from "./render/logMetrics.js";
import { renderCompareExperiments } from "./render/compareExperiments.js";
import { renderGetRunHistory } from "./render/getRunHistory.js";
import { renderGetFeatureStats } from "./render/getFeatureStats.js";
import { renderSuggestFeatures } from "./render/suggestFeatures.js";
import { renderEvaluateModel } from "./render/evaluateModel.js";
import { renderExplainModel } from "./render/explainModel.js";
import { renderSelectModel } from "./render/selectModel.js";
import { renderCreateFeaturePipeline } from "./render/createFeaturePipeline.js";
import { renderRunQualityCheck } from "./render/runQualityCheck.js";
import { renderGetQualityScore } from "./render/getQualityScore.js";
import { renderScanPii } from "./render/scanPii.js";
import { renderCheckPolicy } from "./render/checkPolicy.js";
import { renderRequestGovernanceReview } from "./render/requestGovernanceReview.js";
import { renderRequestApproval } from "./render/requestApproval.js";
import { renderGetGateReports } from "./render/getGateReports.js";
import { renderSuggestNextSteps } from "./render/suggestNextSteps.js";
import { renderEstimateCost } from "./render/estimateCost.js";
import { renderPushRegistry } from "./render/pushRegistry.js";
import { renderPullRegistry } from "./render/pullRegistry.js";
import { renderExportModel } from "./render/exportModel.js";
import { renderSyncMlflow } from "./render/syncMlflow.js";
import { renderPredict } from "./render/predict.js";
import { renderReproduceRun } from "./render/reproduceRun.js";

/**
 * Every tool, in the order `help` lists them, each with its HTML summary for the notebook (its
 * renderer in render/<camelName>.ts, checked by the compiler against the tool's output schema).
 * Wire names (snake_case) meet TypeScript names (camelCase) here.
 */
export const tools: readonly ToolDef[] = [
  // data sources and the catalog
  withRenderer(loadDataset, renderLoadDataset),
  withRenderer(searchDatasets, renderSearchDatasets),
  withRenderer(getTableSchema, renderGetTableSchema),
  withRenderer(getLineage, renderGetLineage),
  // models: training, the registry, serving, experiments, features
  withRenderer(trainModel, renderTrainModel),
  withRenderer(registerModel, renderRegisterModel),
  withRenderer(getModelVersions, renderGetModelVersions),
  withRenderer(deployModel, renderDeployModel),
  withRenderer(undeployModel, renderUndeployModel),
  withRenderer(productionize, renderProductionize),
  withRenderer(retrainModel, renderRetrainModel),
  withRenderer(getWorkspaceState, renderGetWorkspaceState),
  withRenderer(predict, renderPredict),
  withRenderer(getMlStatus, renderGetMlStatus),
  withRenderer(detectModelDrift, renderDetectModelDrift),
  withRenderer(abTestModels, renderAbTestModels),
  withRenderer(listRuns, renderListRuns),
  withRenderer(createExperiment, renderCreateExperiment),
  withRenderer(logMetrics, renderLogMetrics),
  withRenderer(compareExperiments, renderCompareExperiments),
  withRenderer(getRunHistory, renderGetRunHistory),
  withRenderer(reproduceRun, renderReproduceRun),
  withRenderer(getFeatureStats, renderGetFeatureStats),
  withRenderer(suggestFeatures, renderSuggestFeatures),
  withRenderer(evaluateModel, renderEvaluateModel),
  withRenderer(explainModel, renderExplainModel),
  withRenderer(selectModel, renderSelectModel),
  withRenderer(createFeaturePipeline, renderCreateFeaturePipeline),
  // the quality gate
  withRenderer(runQualityCheck, renderRunQualityCheck),
  withRenderer(getQualityScore, renderGetQualityScore),
  // personal data, governance, cost
  withRenderer(scanPii, renderScanPii),
  withRenderer(checkPolicy, renderCheckPolicy),
  withRenderer(requestGovernanceReview, renderRequestGovernanceReview),
  withRenderer(requestApproval, renderRequestApproval),
  withRenderer(getGateReports, renderGetGateReports),
  withRenderer(suggestNextSteps, renderSuggestNextSteps),
  withRenderer(estimateCost, renderEstimateCost),
  // sharing the registry through a git remote
  withRenderer(pushRegistry, renderPushRegistry),
  withRenderer(pullRegistry, renderPullRegistry),
  // the platforms a team grows into
  withRenderer(exportModel, renderExportModel),
  withRenderer(syncMlflow, renderSyncMlflow),
];

/** The tool with this wire name (snake_case) or TypeScript name (camelCase). */
export function getTool(name: string): ToolDef | undefined {
  return tools.find((t) => t.name === name || t.camelName === name);
}
