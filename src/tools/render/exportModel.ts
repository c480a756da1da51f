import { html, type Html } from "../../render/html.js";
import { kv, note, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { exportModel } from "../exportModel.js";

/** A KServe export: what was written and the commands to build, push and apply it; an ONNX export: the file and its graph's inputs and outputs. */
export function renderExportModel(o: OutputOf<typeof exportModel>): Html {
  const x = o.onnx;
  if (x) {
    return html`${title(html`Exported <code>${o.model_name}</code> v${o.version} as ONNX`, `${x.path} · ${x.bytes} bytes · opset ${x.opset}`)}${section("Graph")}${table(
      ["", "name", "type"],
      [...x.inputs.map((i) => ["input", i.name, i.type]), ...x.outputs.map((out) => ["output", out.name, out.type])],
    )}`;
  }
  const k = o.kserve;
  if (!k) return title(html`Exported <code>${o.model_name}</code> v${o.version}`, o.format);
  return html`${title(html`Exported <code>${o.model_name}</code> v${o.version} for KServe`, `${k.source} → ${k.dir}`)}${kv([
    ["InferenceService", k.service_name],
    ["image", k.image],
    ["serves", `/v2/models/${o.model_name} (alias ${k.alias}, version ${o.version})`],
    ["files", k.files.join(", ")],
    ["policy", k.policy_copied ? "dw.policy.yaml copied into the store" : "none (defaults)"],
  ])}${section("Next")}${note(k.next.join(" && "))}`;
}
