import type { z } from "zod";
import type { Html } from "../render/html.js";
import { withRenderer, type ToolDef } from "./defineTool.js";

/** One tool's modules, loaded on demand: its definition, and its definition with its HTML summary. */
export interface ToolModule {
  /** The wire name (snake_case); the module's tool must carry the same name (checked when it loads). */
  name: string;
  /** The definition alone (schemas, description, annotations, magic spec, a `run` that loads the implementation when called). */
  definition(): Promise<ToolDef>;
  /** The definition with its renderer bound, as the notebook shows results. */
  withRenderer(): Promise<ToolDef>;
}

/**
 * Every tool, in the order `help` lists them, as modules to load. Wire names (snake_case) meet
 * TypeScript names (camelCase) here. Nothing is imported until asked: a command that needs one
 * tool (`dw train_model …`, `dw help train_model`) loads that tool's definition — zod and its
 * schemas — and not the 41 others; a tool's implementation (readers, DuckDB, Arrow,
 * isomorphic-git…) is loaded by its `run`. `tools` (allTools.ts) loads them all, for hosts that
 * list every tool (the kernel, MCP, the server).
 *
 * Each renderer (render/<camelName>.ts) is checked by the compiler against its tool's output schema.
 */
export const toolModules: readonly ToolModule[] = [
  // data sources and the catalog
  entry(
    "load_dataset",
    async () => (await import("./loadDataset.js")).loadDataset,
    async () => (await import("./render/loadDataset.js")).renderLoadDataset,
  ),
  entry(
    "search_datasets",
    async () => (await import("./searchDatasets.js")).searchDatasets,
    async () => (await import("./render/searchDatasets.js")).renderSearchDatasets,
  ),
  entry(
    "get_table_schema",
    async () => (await import("./getTableSchema.js")).getTableSchema,
    async () => (await import("./render/getTableSchema.js")).renderGetTableSchema,
  ),
  entry(
    "get_lineage",
    async () => (await import("./getLineage.js")).getLineage,
    async () => (await import("./render/getLineage.js")).renderGetLineage,
  ),
  // models: training, the registry, serving, experiments, features
  entry(
    "train_model",
    async () => (await import("./trainModel.js")).trainModel,
    async () => (await import("./render/trainModel.js")).renderTrainModel,
  ),
  entry(
    "register_model",
    async () => (await import("./registerModel.js")).registerModel,
    async () => (await import("./render/registerModel.js")).renderRegisterModel,
  ),
  entry(
    "get_model_versions",
    async () => (await import("./getModelVersions.js")).getModelVersions,
    async () => (await import("./render/getModelVersions.js")).renderGetModelVersions,
  ),
  entry(
    "deploy_model",
    async () => (await import("./deployModel.js")).deployModel,
    async () => (await import("./render/deployModel.js")).renderDeployModel,
  ),
  entry(
    "undeploy_model",
    async () => (await import("./undeployModel.js")).undeployModel,
    async () => (await import("./render/undeployModel.js")).renderUndeployModel,
  ),
  entry(
    "productionize",
    async () => (await import("./productionize.js")).productionize,
    async () => (await import("./render/productionize.js")).renderProductionize,
  ),
  entry(
    "retrain_model",
    async () => (await import("./retrainModel.js")).retrainModel,
    async () => (await import("./render/retrainModel.js")).renderRetrainModel,
  ),
  entry(
    "get_workspace_state",
    async () => (await import("./getWorkspaceState.js")).getWorkspaceState,
    async () => (await import("./render/getWorkspaceState.js")).renderGetWorkspaceState,
  ),
  entry(
    "predict",
    async () => (await import("./predict.js")).predict,
    async () => (await import("./render/predict.js")).renderPredict,
  ),
  entry(
    "get_ml_status",
    async () => (await import("./getMlStatus.js")).getMlStatus,
    async () => (await import("./render/getMlStatus.js")).renderGetMlStatus,
  ),
  entry(
    "detect_model_drift",
    async () => (await import("./detectModelDrift.js")).detectModelDrift,
    async () => (await import("./render/detectModelDrift.js")).renderDetectModelDrift,
  ),
  entry(
    "ab_test_models",
    async () => (await import("./abTestModels.js")).abTestModels,
    async () => (await import("./render/abTestModels.js")).renderAbTestModels,
  ),
  entry(
    "list_runs",
    async () => (await import("./listRuns.js")).listRuns,
    async () => (await import("./render/listRuns.js")).renderListRuns,
  ),
  entry(
    "create_experiment",
    async () => (await import("./createExperiment.js")).createExperiment,
    async () => (await import("./render/createExperiment.js")).renderCreateExperiment,
  ),
  entry(
    "log_metrics",
    async () => (await import("./logMetrics.js")).logMetrics,
    async () => (await import("./render/logMetrics.js")).renderLogMetrics,
  ),
  entry(
    "compare_experiments",
    async () => (await import("./compareExperiments.js")).compareExperiments,
    async () => (await import("./render/compareExperiments.js")).renderCompareExperiments,
  ),
  entry(
    "get_run_history",
    async () => (await import("./getRunHistory.js")).getRunHistory,
    async () => (await import("./render/getRunHistory.js")).renderGetRunHistory,
  ),
  entry(
    "reproduce_run",
    async () => (await import("./reproduceRun.js")).reproduceRun,
    async () => (await import("./render/reproduceRun.js")).renderReproduceRun,
  ),
  entry(
    "get_feature_stats",
    async () => (await import("./getFeatureStats.js")).getFeatureStats,
    async () => (await import("./render/getFeatureStats.js")).renderGetFeatureStats,
  ),
  entry(
    "suggest_features",
    async () => (await import("./suggestFeatures.js")).suggestFeatures,
    async () => (await import("./render/suggestFeatures.js")).renderSuggestFeatures,
  ),
  entry(
    "evaluate_model",
    async () => (await import("./evaluateModel.js")).evaluateModel,
    async () => (await import("./render/evaluateModel.js")).renderEvaluateModel,
  ),
  entry(
    "explain_model",
    async () => (await import("./explainModel.js")).explainModel,
    async () => (await import("./render/explainModel.js")).renderExplainModel,
  ),
  entry(
    "select_model",
    async () => (await import("./selectModel.js")).selectModel,
    async () => (await import("./render/selectModel.js")).renderSelectModel,
  ),
  entry(
    "create_feature_pipeline",
    async () => (await import("./createFeaturePipeline.js")).createFeaturePipeline,
    async () => (await import("./render/createFeaturePipeline.js")).renderCreateFeaturePipeline,
  ),
  // the quality gate
  entry(
    "run_quality_check",
    async () => (await import("./runQualityCheck.js")).runQualityCheck,
    async () => (await import("./render/runQualityCheck.js")).renderRunQualityCheck,
  ),
  entry(
    "get_quality_score",
    async () => (await import("./getQualityScore.js")).getQualityScore,
    async () => (await import("./render/getQualityScore.js")).renderGetQualityScore,
  ),
  // personal data, governance, cost
  entry(
    "scan_pii",
    async () => (await import("./scanPii.js")).scanPii,
    async () => (await import("./render/scanPii.js")).renderScanPii,
  ),
  entry(
    "check_policy",
    async () => (await import("./checkPolicy.js")).checkPolicy,
    async () => (await import("./render/checkPolicy.js")).renderCheckPolicy,
  ),
  entry(
    "request_governance_review",
    async () => (await import("./requestGovernanceReview.js")).requestGovernanceReview,
    async () => (await import("./render/requestGovernanceReview.js")).renderRequestGovernanceReview,
  ),
  entry(
    "request_approval",
    async () => (await import("./requestApproval.js")).requestApproval,
    async () => (await import("./render/requestApproval.js")).renderRequestApproval,
  ),
  entry(
    "get_gate_reports",
    async () => (await import("./getGateReports.js")).getGateReports,
    async () => (await import("./render/getGateReports.js")).renderGetGateReports,
  ),
  entry(
    "suggest_next_steps",
    async () => (await import("./suggestNextSteps.js")).suggestNextSteps,
    async () => (await import("./render/suggestNextSteps.js")).renderSuggestNextSteps,
  ),
  entry(
    "estimate_cost",
    async () => (await import("./estimateCost.js")).estimateCost,
    async () => (await import("./render/estimateCost.js")).renderEstimateCost,
  ),
  // sharing the registry through a git remote
  entry(
    "push_registry",
    async () => (await import("./pushRegistry.js")).pushRegistry,
    async () => (await import("./render/pushRegistry.js")).renderPushRegistry,
  ),
  entry(
    "pull_registry",
    async () => (await import("./pullRegistry.js")).pullRegistry,
    async () => (await import("./render/pullRegistry.js")).renderPullRegistry,
  ),
  // the platforms a team grows into
  entry(
    "export_model",
    async () => (await import("./exportModel.js")).exportModel,
    async () => (await import("./render/exportModel.js")).renderExportModel,
  ),
  entry(
    "sync_mlflow",
    async () => (await import("./syncMlflow.js")).syncMlflow,
    async () => (await import("./render/syncMlflow.js")).renderSyncMlflow,
  ),
];

function entry<I extends z.ZodType, O extends z.ZodType>(
  name: string,
  load: () => Promise<ToolDef<I, O>>,
  render: () => Promise<(output: z.output<O>) => Html>,
): ToolModule {
  const definition = async (): Promise<ToolDef<I, O>> => {
    const tool = await load();
    // A fault in dw, not the user's: this list and the tool's own file disagree on its name.
    if (tool.name !== name) throw new Error(`toolModules lists '${name}', but its module defines '${tool.name}'`);
    return tool;
  };
  return {
    name,
    definition,
    withRenderer: async () => {
      const [tool, renderer] = await Promise.all([definition(), render()]);
      return withRenderer(tool, renderer);
    },
  };
}
