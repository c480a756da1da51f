import { parseNotebook } from "./parseNotebook.js";
import { NOTEBOOK_LIMITS, type NotebookLimits } from "./notebookLimits.js";

export { NOTEBOOK_LIMITS, type NotebookLimits };

/** An output replaced by a placeholder: which cell, which mime type (or output type), how many characters. */
export interface RemovedOutput {
  cell: string;
  what: string;
  chars: number;
}

const WIDGET_MIMES = ["application/vnd.jupyter.widget-state+json", "application/vnd.jupyter.widget-view+json"];

type Output = Record<string, unknown> & { output_type: string };

/**
 * The notebook a run commit stores: widget state dropped (metadata.widgets and widget outputs,
 * which only a live kernel can use), and images and texts above NOTEBOOK_LIMITS replaced by a short
 * text/plain placeholder naming the cell, the mime type and the size removed; then, while the
 * notebook is over maxNotebookChars, the largest remaining outputs likewise. Everything else is
 * kept as it was: a notebook with nothing to take out byte for byte, else re-serialized with
 * nbformat's one-space indent. A notebook that cannot be parsed is a DATA_ERROR
 * (parseNotebook). O(n log n) in the number of outputs.
 *
 * @example
 * ```ts
 * const { text, removed } = stripNotebook(ipynbText);
 * removed; // [{ cell: "a1", what: "image/png", chars: 912344 }]
 * ```
 */
export function stripNotebook(ipynbText: string, limits: NotebookLimits = NOTEBOOK_LIMITS): { text: string; removed: RemovedOutput[] } {
  const { json } = parseNotebook(ipynbText, "the notebook");
  const removed: RemovedOutput[] = [];
  let widgets = false;
  if (json.metadata && "widgets" in json.metadata) {
    delete json.metadata.widgets;
    widgets = true;
  }
  const all: { holder: Output; key: "data" | "text" | "traceback"; mime?: string; cell: string; chars: number }[] = [];
  json.cells.forEach((cell, i) => {
    if (!cell.outputs) return;
    const name = cell.id ?? `#${i + 1}`;
    cell.outputs = cell.outputs.filter((o) => {
      const out = o as Output;
      const data = out.data;
      if (data && typeof data === "object") {
        const d = data as Record<string, unknown>;
        for (const m of WIDGET_MIMES) {
          if (m in d) {
            delete d[m];
            widgets = true;
          }
        }
        if (Object.keys(d).length === 0) return false;
        for (const [mime, v] of Object.entries(d)) {
          const chars = size(v);
          const limit = mime.startsWith("image/") ? limits.maxImageChars : limits.maxTextChars;
          if (chars > limit) replace(out, "data", mime, name, chars, removed);
          else all.push({ holder: out, key: "data", mime, cell: name, chars });
        }
      }
      for (const key of ["text", "traceback"] as const) {
        if (out[key] === undefined) continue;
        const chars = size(out[key]);
        if (chars > limits.maxTextChars) replace(out, key, undefined, name, chars, removed);
        else all.push({ holder: out, key, cell: name, chars });
      }
      return true;
    });
  });
  // Nothing to take out: the notebook is kept byte for byte, as the kernel saw it.
  if (!widgets && removed.length === 0 && ipynbText.length <= limits.maxNotebookChars) return { text: ipynbText, removed };
  let text = serialize(json);
  if (text.length > limits.maxNotebookChars) {
    let total = text.length;
    for (const o of all.sort((a, b) => b.chars - a.chars)) {
      if (total <= limits.maxNotebookChars) break;
      const before = JSON.stringify(o.key === "data" ? (o.holder.data as Record<string, unknown>) : o.holder[o.key]).length;
      replace(o.holder, o.key, o.mime, o.cell, o.chars, removed);
      total -= before - JSON.stringify(o.key === "data" ? (o.holder.data as Record<string, unknown>) : o.holder[o.key]).length;
    }
    text = serialize(json);
  }
  return { text, removed };
}

function replace(out: Output, key: "data" | "text" | "traceback", mime: string | undefined, cell: string, chars: number, removed: RemovedOutput[]): void {
  const what = mime ?? (key === "text" ? `${out.output_type} text` : "traceback");
  const placeholder = `[dw: ${what} output of cell ${cell} removed from the run commit: ${chars} characters, over the limit in docs/notebook-state.md]`;
  removed.push({ cell, what, chars });
  if (key === "data" && mime !== undefined) {
    const d = out.data as Record<string, unknown>;
    delete d[mime];
    d["text/plain"] = typeof d["text/plain"] === "string" && mime !== "text/plain" ? `${d["text/plain"]}\n${placeholder}` : placeholder;
  } else if (key === "traceback") out.traceback = [placeholder];
  else out.text = placeholder;
}

const size = (v: unknown) =>
  typeof v === "string"
    ? v.length
    : Array.isArray(v)
      ? v.reduce((n: number, s) => n + (typeof s === "string" ? s.length : 0), 0)
      : JSON.stringify(v ?? null).length;
const serialize = (json: unknown) => `${JSON.stringify(json, null, 1)}\n`;
