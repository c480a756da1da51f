import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";

export const ExportModelInput = z.strictObject({
  model_id: z.string().min(1).describe("The model to export: name@alias (the version that alias serves) or name/version, e.g. temp@production or temp/3."),
  kserve: z
    .string()
    .min(1)
    .optional()
    .describe("A new (or empty) directory to write a KServe export into: model store, dw runtime, Dockerfile, InferenceService manifest, README."),
  onnx: z.string().min(1).optional().describe("A file to write the model to as ONNX (linear, logistic and tree models; see docs/onnx.md)."),
  image: z.string().min(1).optional().describe("With kserve: the image the InferenceService runs, as your registry names it (default dw-<name>:v<version>)."),
});
export type ExportModelInput = z.infer<typeof ExportModelInput>;

const Io = z.object({ name: z.string(), type: z.string() });

/** What a KServe export wrote. */
const KserveExport = z.object({
  dir: z.string().describe("The directory written."),
  source: z.string().describe("model_id as given."),
  alias: z.string().describe("The alias the exported store serves the version under; /v2/models/<name> answers it."),
  service_name: z.string().describe("The InferenceService's name (a Kubernetes name made from the model name)."),
  image: z.string().describe("The image the manifest runs; build and push it under this name."),
  files: z.array(z.string()).describe("What the directory holds (top level)."),
  store_commits: z.object({ run: z.string(), registration: z.string(), deployment: z.string() }).describe("The model store's commits."),
  policy_copied: z.boolean().describe("Whether dw.policy.yaml was copied into the store (its monitoring section rules the server's log and drift checks)."),
  runtime_dependencies: z.record(z.string(), z.string()).describe("The packages the image installs for dw (pinned, with a lock cut from dw's own)."),
  command: z.array(z.string()).describe("What the container runs."),
  next: z.array(z.string()).describe("Commands to build, push and apply it."),
});

/** What an ONNX export wrote. */
const OnnxExport = z.object({
  path: z.string(),
  bytes: z.number().int(),
  inputs: z.array(Io).describe("One graph input per raw column of the model's signature."),
  outputs: z.array(Io),
  opset: z.number().int(),
});

// One object with the format's part beside the common fields (not a union: MCP clients take only
// object schemas, and every tool's output is one).
export const ExportModelOutput = z.object({
  format: z.enum(["kserve", "onnx"]),
  model_name: z.string(),
  version: z.number().int(),
  kserve: KserveExport.optional().describe("With format kserve: the directory and how to build, push and apply it."),
  onnx: OnnxExport.optional().describe("With format onnx: the file and its graph's inputs and outputs."),
});
export type ExportModelOutput = z.infer<typeof ExportModelOutput>;

/**
 * Exports a model for the platforms a team grows into: with `kserve`, a directory KServe runs
 * (model store, dw runtime, Dockerfile, InferenceService, README; docs/export.md); with `onnx`, an
 * ONNX file (docs/onnx.md). Writes only the files named; the workspace is read, never changed.
 *
 * @example
 * ```ts
 * const k = await dw.exportModel({ model_id: "temp@production", kserve: "out/" });
 * k.kserve?.next; // ["docker build -t dw-temp:v3 out/", …]
 * ```
 */
export const exportModel = defineTool({
  name: "export_model",
  // Reads the workspace only; what it writes is the directory or file named (outside the registry).
  annotations: { effect: "reads", writesOutside: true, replaces: true },
  description:
    "Export a deployed model version: --kserve DIR writes a container build file, an InferenceService manifest and a model store that dw serve answers over the Open Inference Protocol; --onnx FILE writes an ONNX model. The workspace is not changed.",
  input: ExportModelInput,
  output: ExportModelOutput,
  magic: { positional: "model_id", aliases: { model: "model_id" } },
  async run(input, ctx) {
    if ((input.kserve === undefined) === (input.onnx === undefined)) {
      throw new DwError(
        "INVALID_INPUT",
        `Give exactly one of kserve (a directory) and onnx (a file), got ${input.kserve === undefined ? "neither" : "both"}.`,
        {
          hint: "e.g. dw export temp@production --kserve out/ or dw export temp/3 --onnx temp.onnx",
          details: { field: input.kserve === undefined ? "kserve" : "onnx" },
        },
      );
    }
    if (input.onnx !== undefined) {
      if (input.image !== undefined) throw new DwError("INVALID_INPUT", "image applies to a KServe export only.", { details: { field: "image" } });
      const { exportOnnx } = await import("../platforms/onnx/exportOnnx.js");
      const { model_name, version, ...onnx } = await exportOnnx(ctx, { modelId: input.model_id, path: input.onnx });
      return { format: "onnx" as const, model_name, version, onnx };
    }
    const { exportKserve } = await import("../platforms/kserve/exportKserve.js");
    const k = await exportKserve(ctx, { modelId: input.model_id, dir: input.kserve as string, image: input.image });
    return {
      format: "kserve" as const,
      model_name: k.model_name,
      version: k.version,
      kserve: {
        dir: k.dir,
        source: k.source,
        alias: k.alias,
        service_name: k.service_name,
        image: k.image,
        files: k.files,
        store_commits: { run: k.store.run, registration: k.store.registration, deployment: k.store.deployment },
        policy_copied: k.store.policy,
        runtime_dependencies: k.runtime.dependencies,
        command: k.command,
        next: [`docker build -t ${k.image} ${k.dir}`, `docker push ${k.image}`, `kubectl apply -f ${k.dir}/inferenceservice.yaml`],
      },
    };
  },
});
