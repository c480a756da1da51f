import { resolve } from "node:path";
import type { DomainContext } from "../../workspace/DomainContext.js";
import type { ModelJson } from "../../models/ModelJson.js";
import { atomicWrite } from "../../workspace/atomicWrite.js";
import { DW_VERSION } from "../../version.js";
import { GraphBuilder } from "./GraphBuilder.js";
import { encodeOnnxModel, type OnnxValueInfo } from "./encodeOnnxModel.js";
import { INPUT_TYPES, preprocessingGraph } from "./preprocessingGraph.js";
import { linearRegressionGraph, logisticRegressionGraph } from "./linearGraph.js";
import { notExportable } from "./notExportable.js";
import { treeModelGraph } from "./treeModelGraph.js";
import { labelGraph, labelType, OUTPUTS } from "./outputGraph.js";
import { resolveExportedVersion } from "../kserve/resolveExportedVersion.js";
import { loadModel } from "../../models/scoreModel.js";
import { MODEL_JSON_LIMITS } from "../../models/modelJsonLimits.js";
import { DwError } from "../../errors/DwError.js";

/** The standard operator set the graphs import, and ai.onnx.ml's (LabelEncoder 4, TreeEnsemble 5); tested with onnxruntime 1.32. */
export const ONNX_OPSET = 21;
const ML_OPSET = 5;
const IR_VERSION = 10;

/** What exportOnnx wrote. */
export interface OnnxExport {
  path: string;
  bytes: number;
  model_name: string;
  version: number;
  inputs: { name: string; type: string }[];
  outputs: { name: string; type: string }[];
  opset: number;
}

/**
 * Writes a registered model version as an ONNX model that scores raw rows as dw does (the version
 * `name@alias` serves, or `name/version` when that version passed a deploy gate, as
 * resolveExportedVersion resolves every export): one graph input per raw column of the model's
 * signature (a 1-D tensor of N values: doubles with NaN for a missing value, booleans as 1/0,
 * dates as milliseconds since 1970 UTC, text as strings with "" for a missing value), the fitted
 * preprocessing, then the estimator in double precision. A regression answers `prediction` [N];
 * a classifier `label` [N] (the class labels) and `probabilities` [N, K] (classes in model.json
 * order). A model whose scoring ONNX cannot reproduce exactly is refused, naming what (see
 * docs/onnx.md). The file is written atomically; `path` is relative to ctx.cwd.
 *
 * @example
 * ```ts
 * const out = await exportOnnx(ctx, { modelId: "temp@production", path: "temp.onnx" });
 * // { path: "/…/temp.onnx", bytes: 1234, model_name: "temp", version: 1, inputs: [{ name: "wind", type: "double" }, …], outputs: [{ name: "prediction", type: "double" }], opset: 21 }
 * ```
 */
export async function exportOnnx(ctx: DomainContext, args: { modelId: string; path: string }): Promise<OnnxExport> {
  // The version is resolved as every export resolves it: one that passed a deploy gate here.
  const { info } = await resolveExportedVersion(ctx.workspace, args.modelId);
  const registered = { name: info.name, version: info.version, run_id: info.run_id };
  const label = `${info.name} v${info.version}`;
  const text = await ctx.workspace.readText(info.commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
  if (text === null) throw new DwError("DATA_ERROR", `${label} has no model.json.`, { details: { field: "model_id" } });
  const json = loadModel(text, `${label} model.json`).json;
  const outputs = outputsOf(json);
  const names = json.signature.inputs.map((f) => f.name);
  const clash = outputs.find((o) => names.includes(o.name));
  if (clash) {
    throw notExportable(
      `its input column '${clash.name}' has the name of a graph output`,
      { column: clash.name, unsupported: "column_name" },
      `Rename the column '${clash.name}' in the data and retrain; the graph's outputs are ${outputs.map((o) => o.name).join(", ")}.`,
    );
  }
  const b = new GraphBuilder([...names, ...outputs.map((o) => o.name)]);
  // The steps first: a step with no exact form is refused naming its column and kind.
  const X = preprocessingGraph(b, json.preprocessing, new Map(names.map((n) => [n, n])));
  const inputs: OnnxValueInfo[] = json.signature.inputs.map((f) => {
    const type = INPUT_TYPES[f.type];
    if (!type) {
      throw notExportable(
        `input '${f.name}' is a ${f.type}, which the graph cannot read as dw does`,
        { column: f.name, unsupported: f.type },
        `Retrain without '${f.name}' in --features, then export that version.`,
      );
    }
    return { name: f.name, type, shape: ["N"] };
  });
  estimatorGraph(b, X, json);
  const bytes = encodeOnnxModel({
    irVersion: IR_VERSION,
    opsets: [
      { domain: "", version: ONNX_OPSET },
      { domain: "ai.onnx.ml", version: ML_OPSET },
    ],
    producerName: "dw",
    producerVersion: DW_VERSION,
    modelVersion: registered.version,
    doc: `dw model ${registered.name} v${registered.version}: ${json.algorithm} (${json.task}) of '${json.target}', run ${registered.run_id}.`,
    graph: { name: `${registered.name}_v${registered.version}`, nodes: b.nodes, initializers: b.initializers, inputs, outputs },
    metadata: {
      "dw.model_name": registered.name,
      "dw.version": String(registered.version),
      "dw.run_id": registered.run_id,
      "dw.algorithm": json.algorithm,
      "dw.task": json.task,
      "dw.target": json.target,
      // Which double inputs are numbers, booleans (1/0) or dates (milliseconds), as dw's signature says.
      "dw.inputs": JSON.stringify(json.signature.inputs),
      ...(json.classes ? { "dw.classes": JSON.stringify(json.classes) } : {}),
    },
  });
  const path = resolve(ctx.cwd, args.path);
  await atomicWrite(path, bytes);
  return {
    path,
    bytes: bytes.length,
    model_name: registered.name,
    version: registered.version,
    inputs: inputs.map((i) => ({ name: i.name, type: i.type })),
    outputs: outputs.map((o) => ({ name: o.name, type: o.type })),
    opset: ONNX_OPSET,
  };
}

/** A regression's `prediction`; a classifier's `label` (typed as its labels) and `probabilities`. */
function outputsOf(json: ModelJson): OnnxValueInfo[] {
  if (json.task === "regression") return [{ name: OUTPUTS.prediction, type: "double", shape: ["N"] }];
  return [
    { name: OUTPUTS.label, type: labelType(json.classes ?? []), shape: ["N"] },
    { name: OUTPUTS.probabilities, type: "double", shape: ["N", json.classes?.length ?? 0] },
  ];
}

/** The estimator's nodes from the matrix X to the graph outputs. */
function estimatorGraph(b: GraphBuilder, X: string, json: ModelJson): void {
  const params = json.params;
  if (params.kind === "linear_regression") {
    linearRegressionGraph(b, X, params);
    return;
  }
  if (params.kind === "logistic_regression") logisticRegressionGraph(b, X, params.model);
  else treeModelGraph(b, X, params);
  if (json.task === "classification") labelGraph(b, json.classes ?? []);
}
