import { html, type Html } from "../../render/html.js";
import { fmt, kv, note, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { registerModel } from "../registerModel.js";

/** A registered version: its name, number, source run and metrics. */
export function renderRegisterModel(o: OutputOf<typeof registerModel>): Html {
  return html`${title(html`Model <code>${o.model_name}</code> version ${o.version}`, html`from run <code>${o.run_id}</code> · ${o.algorithm}`)}${kv(
    Object.entries(o.metrics).map(([k, v]) => [k, fmt(v)]),
  )}${note(`git log ${o.ref}`)}`;
}
