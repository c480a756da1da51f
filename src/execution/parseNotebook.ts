import { z } from "zod";
import { DwError } from "../errors/DwError.js";

const Source = z.union([z.string(), z.array(z.string())]);

/** The part of an nbformat 4 notebook dw reads: cells with their type, source and id. Loose: the rest is kept untouched. */
export const NotebookJson = z.looseObject({
  cells: z.array(
    z.looseObject({
      cell_type: z.enum(["code", "markdown", "raw"]),
      id: z.string().optional(),
      source: Source,
      outputs: z.array(z.looseObject({ output_type: z.string() })).optional(),
    }),
  ),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type NotebookJson = z.infer<typeof NotebookJson>;

/** A notebook's cells as analyseExecution and notebookScript read them: source joined into one string. */
export interface NotebookCells {
  cells: { id?: string; cell_type: "code" | "markdown" | "raw"; source: string }[];
}

/**
 * Parses a notebook's JSON text (nbformat 4). Text that is not JSON, or JSON that is not a notebook,
 * is a DATA_ERROR naming `what` (e.g. "the notebook quickstart.ipynb") and the field at fault
 * (`cells[3].cell_type`), so a caller can record why it kept the notebook as given.
 *
 * @example
 * ```ts
 * const { json, cells } = parseNotebook(text, "quickstart.ipynb");
 * cells.cells[0].source; // "const x = 1;"
 * ```
 */
export function parseNotebook(text: string, what: string): { json: NotebookJson; cells: NotebookCells } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DwError("DATA_ERROR", `${what} is not JSON: ${(e as Error).message}.`, {
      hint: "Save the notebook from JupyterLab again, or check it with: python -m json.tool <file>",
      details: { field: "notebook" },
    });
  }
  const parsed = NotebookJson.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
        .join("")
        .replace(/^\./, "") || "(root)";
    throw new DwError("DATA_ERROR", `${what} is not an nbformat 4 notebook: ${field}: ${issue.message}.`, {
      hint: "Open and save it in JupyterLab, or validate it with: jupyter nbconvert --to notebook <file>",
      details: { field },
    });
  }
  const json = parsed.data;
  const joined = (s: string | string[]) => (typeof s === "string" ? s : s.join(""));
  return {
    json,
    cells: { cells: json.cells.map((c) => ({ ...(c.id !== undefined ? { id: c.id } : {}), cell_type: c.cell_type, source: joined(c.source) })) },
  };
}
