import { z } from "zod";
import type { NotebookSnapshot } from "../src/comm/protocol.js";
import { namesNotebookFile } from "./namesNotebookFile.js";

/** The latest notebook the browser sent for this kernel's notebook. */
export interface HeldSnapshot {
  /** The kernel's notebook file (absolute), which the snapshot's path named. */
  file: string;
  content: string;
  cell_id?: string;
}

/**
 * The notebook as JupyterLab has it, kept from the extension's `notebook_snapshot` messages: a run
 * then stores it instead of the file on disk, unsaved edits included. Only the newest is kept, and
 * only one for the kernel's own notebook: another notebook sharing the kernel sends its own, which
 * must not stand in for this one's.
 */
export interface BrowserNotebook {
  /** Keeps the snapshot if it is this kernel's notebook and nbformat JSON; says why not otherwise. */
  receive(snapshot: NotebookSnapshot): Promise<{ kept: true } | { kept: false; reason: string }>;
  latest(): HeldSnapshot | undefined;
}

// Only what makes the text a notebook is checked; the rest is the user's and stored as sent.
const NotebookShape = z.looseObject({ cells: z.array(z.unknown()), nbformat: z.number().int() });

export function createBrowserNotebook(deps: { notebookPath(): Promise<string | undefined> }): BrowserNotebook {
  let held: HeldSnapshot | undefined;
  return {
    async receive(snapshot) {
      const own = await deps.notebookPath();
      if (!own) return { kept: false, reason: "the kernel does not know its notebook's file (JPY_SESSION_NAME or DW_NOTEBOOK)" };
      if (!namesNotebookFile(own, snapshot.path)) return { kept: false, reason: `it is ${snapshot.path}, and this kernel's notebook is ${own}` };
      let parsed: unknown;
      try {
        parsed = JSON.parse(snapshot.content);
      } catch (e) {
        return { kept: false, reason: `its content is not JSON (${(e as Error).message})` };
      }
      const shape = NotebookShape.safeParse(parsed);
      if (!shape.success) return { kept: false, reason: "its content is not an nbformat notebook (no cells array or nbformat number)" };
      held = { file: own, content: snapshot.content, ...(snapshot.cell_id !== undefined ? { cell_id: snapshot.cell_id } : {}) };
      return { kept: true };
    },
    latest: () => held,
  };
}
