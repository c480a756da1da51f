import { NOTEBOOK_LIMITS } from "../../../src/execution/notebookLimits.js";

/** An image output bigger than this (its base64 or SVG text) is left out of a notebook snapshot: the run commit's own limit. */
export const SNAPSHOT_IMAGE_LIMIT = NOTEBOOK_LIMITS.maxImageChars;

/** Widget models live in the notebook's metadata; their views in outputs point into them. */
const WIDGET_STATE = "widgets";
const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";

type Json = Record<string, unknown>;

/**
 * The notebook as a snapshot sends it: the same cells and sources, with each image output above
 * SNAPSHOT_IMAGE_LIMIT and all widget state and views left out (a `text/plain` line says what was
 * there, when the output had no text of its own), so a snapshot sent before every cell stays
 * small. The notebook given is not changed; untouched parts are shared, not copied.
 */
export function stripNotebook(notebook: Json): Json {
  const metadata = isObject(notebook.metadata) ? withoutKey(notebook.metadata, WIDGET_STATE) : notebook.metadata;
  const cells = Array.isArray(notebook.cells) ? notebook.cells.map(stripCell) : notebook.cells;
  return { ...notebook, metadata, cells };
}

function stripCell(cell: unknown): unknown {
  if (!isObject(cell) || !Array.isArray(cell.outputs)) return cell;
  return { ...cell, outputs: cell.outputs.map(stripOutput) };
}

function stripOutput(output: unknown): unknown {
  if (!isObject(output) || !isObject(output.data)) return output;
  const data = output.data;
  const left = new Map<string, number>();
  const kept: Json = {};
  for (const [mime, value] of Object.entries(data)) {
    if (mime === WIDGET_VIEW || (mime.startsWith("image/") && sizeOf(value) > SNAPSHOT_IMAGE_LIMIT)) left.set(mime, sizeOf(value));
    else kept[mime] = value;
  }
  if (left.size === 0) return output;
  if (kept["text/plain"] === undefined) {
    kept["text/plain"] = `[left out of the dw snapshot: ${[...left].map(([mime, size]) => `${mime} (${size} characters)`).join(", ")}]`;
  }
  // An output's metadata is keyed by MIME type (an image's size); what describes a dropped type goes with it.
  const metadata = isObject(output.metadata) ? Object.fromEntries(Object.entries(output.metadata).filter(([key]) => !left.has(key))) : output.metadata;
  return { ...output, data: kept, ...(metadata !== undefined ? { metadata } : {}) };
}

/** Text length of a MIME value: a string, or nbformat's list of lines. */
function sizeOf(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return value.reduce((n: number, line) => n + (typeof line === "string" ? line.length : 0), 0);
  return JSON.stringify(value ?? null).length;
}

function withoutKey(object: Json, key: string): Json {
  if (!(key in object)) return object;
  const { [key]: _dropped, ...rest } = object;
  return rest;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
