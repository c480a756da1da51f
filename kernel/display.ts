import { inspect } from "node:util";
import { DW_RESULT_MIME } from "../src/comm/protocol.js";
import { renderResultHtml } from "../src/index.js";

export type MimeBundle = Record<string, unknown>;

/**
 * Remembers which objects are tool outputs, so one that ends up as a cell's value renders like
 * the magic's output. Weak, so it never keeps a result alive.
 */
export interface ResultRegistry {
  remember(tool: string, output: object): void;
  toolOf(value: unknown): string | undefined;
}

export function createResultRegistry(): ResultRegistry {
  const tools = new WeakMap<object, string>();
  return {
    remember: (tool, output) => void tools.set(output, tool),
    toolOf: (value) => (typeof value === "object" && value !== null ? tools.get(value) : undefined),
  };
}

/**
 * A tool result: the HTML summary, the bundle the Productionize button reads (which carries the
 * JSON), and a line of text. `application/json` is added only when there is no HTML: JupyterLab
 * ranks its JSON viewer above HTML, so both together would hide the summary behind a JSON tree.
 */
export function toolResultBundle(tool: string, output: Record<string, unknown>): MimeBundle {
  let html: string | undefined;
  try {
    html = renderResultHtml(tool, output);
  } catch {
    // A renderer that trips on an output must not lose the result: the JSON and text still show.
  }
  return {
    ...(html === undefined ? { "application/json": output } : { "text/html": html }),
    [DW_RESULT_MIME]: { tool, output },
    "text/plain": summary(tool, output),
  };
}

/**
 * A second output for a tool that draws (explain_model returns a Vega-Lite spec in `chart`):
 * JupyterLab renders one MIME type per output, so the chart cannot share the HTML summary's.
 */
export function chartBundle(output: Record<string, unknown>): MimeBundle | undefined {
  const chart = output.chart as { $schema?: unknown; title?: unknown } | undefined;
  if (typeof chart?.$schema !== "string" || !chart.$schema.includes("vega-lite/v5")) return undefined;
  return { "application/vnd.vegalite.v5+json": chart, "text/plain": typeof chart.title === "string" ? `[chart] ${chart.title}` : "[chart]" };
}

/** A cell's value as Jupyter shows it: tool outputs as above, strings as they are, the rest as util.inspect prints them. */
export function valueBundle(value: unknown, results: ResultRegistry): MimeBundle {
  const tool = results.toolOf(value);
  if (tool) return toolResultBundle(tool, value as Record<string, unknown>);
  if (typeof value === "string") return { "text/plain": value };
  return { "text/plain": inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 }) };
}

/** `train_model: run_id=… dataset_id=… target=…`: the first few plain fields. */
export function summary(tool: string, output: Record<string, unknown>): string {
  const fields = Object.entries(output)
    .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    .slice(0, 5)
    .map(([k, v]) => `${k}=${typeof v === "string" && v.length > 80 ? `${v.slice(0, 77)}...` : String(v)}`);
  return `${tool}: ${fields.join(" ")}`;
}
