import { html, type Html } from "../../render/html.js";
import { kv, note, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { exportModel } from "../exportModel.js";

/** A KServe export: what was written and the commands to build, push and apply it; an ONNX export: the file and its graph's inputs and outputs. */
export function renderExportModel(o: OutputOf<typeof exportModel>): Html {
  if (o.format === "onnx") {
    return html`${title(html`Exported <code>${o.model_name}</code> v${o.version} as ONNX`, `${o.path} · ${o.bytes} bytes · opset ${o.opset}`)}${section("Graph")}${table(
      ["", "name", "type"],
      [...o.inputs.map((i) => ["input", i.name, i.type]), ...o.outputs.map((x) => ["output", x.name, x.type])],
    )}`;
  }
  return html`${title(html`Exported <code>${o.model_name}</code> v${o.version} for KServe`, `${o.source} → ${o.dir}`)}${kv([
    ["InferenceService", o.service_name],
    ["image", o.image],
    ["serves", `/v2/models/${o.model_name} (alias ${o.alias}, version ${o.version})`],
    ["files", o.files.join(", ")],
    ["policy", o.policy_copied ? "dw.policy.yaml copied into the store" : "none (defaults)"],
  ])}${section("Next")}${note(o.next.join(" && "))}`;
}
