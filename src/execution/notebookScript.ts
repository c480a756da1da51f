import { parseNotebook } from "./parseNotebook.js";
import { CELL_MAGIC_LINE, MAGIC_LINE, isCellMagic } from "./magicLine.js";

/**
 * notebook.ts: a notebook as a paired TypeScript script, in cell order, so `git diff` between two
 * runs reads as a code diff: each cell opens with `// %% [<id>]` (plus `markdown` or `raw`), code
 * cells are their code, markdown and raw cells are `//` comments, and magic lines (`%dw …`, a
 * `%%dw` cell) are comments, since they are not TypeScript. No outputs. A notebook that cannot be
 * parsed is a DATA_ERROR naming the field (see parseNotebook); the caller decides what to keep.
 *
 * @example
 * ```ts
 * notebookScript(ipynbText, "quickstart.ipynb");
 * // "// quickstart.ipynb as a paired script …\n\n// %% [a1]\nconst x = 1;\n…"
 * ```
 */
export function notebookScript(ipynbText: string, path = "notebook.ipynb"): string {
  const { cells } = parseNotebook(ipynbText, `the notebook ${path}`);
  const out = [`// ${path} as a paired script, written by dw from notebook.ipynb: code cells as code, markdown as comments, magics as comments.`];
  cells.cells.forEach((cell, i) => {
    const id = cell.id ?? `#${i + 1}`;
    const lines = cell.source.split(/\r?\n/);
    out.push("", cell.cell_type === "code" ? `// %% [${id}]` : `// %% [${id}] ${cell.cell_type}`);
    if (cell.cell_type !== "code") out.push(...lines.map((l) => `// ${l}`.trimEnd()));
    else if (isCellMagic(lines)) out.push(...lines.map((l) => `// ${l}`.trimEnd()));
    else out.push(...lines.map((l) => (MAGIC_LINE.test(l) || CELL_MAGIC_LINE.test(l) ? `${/^\s*/.exec(l)?.[0] ?? ""}// ${l.trim()}` : l)));
  });
  return `${out.join("\n")}\n`;
}
