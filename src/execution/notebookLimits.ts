/**
 * How big a notebook's outputs may be in a run commit; docs/notebook-state.md explains them. Imports
 * nothing, so the labextension's snapshot (labextension/src/comm/stripNotebook.ts) uses the same
 * image limit as the run commit.
 */
export const NOTEBOOK_LIMITS = {
  /** An image output (image/*, base64 or SVG text) over this many characters is replaced by a placeholder. */
  maxImageChars: 256 * 1024,
  /** Any other single output text (a stream, a mime value, a traceback) over this many characters likewise. */
  maxTextChars: 256 * 1024,
  /** The whole notebook's JSON: over it, the largest outputs are replaced first until it fits. */
  maxNotebookChars: 2 * 1024 * 1024,
} as const;
export type NotebookLimits = { readonly [K in keyof typeof NOTEBOOK_LIMITS]: number };
