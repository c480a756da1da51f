import { join } from "node:path";
import type { Page } from "playwright-core";
import type { JupyterLab } from "./jupyterLab.js";

/** Chromium's flags for a test: no sandbox (root in a container), no GPU, nothing fetched in the background. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The little of the page's JupyterLab (exposed by --LabApp.expose_app_in_browser) the browser tests read. */
export interface PageGlobals {
  jupyterapp: {
    commands: { execute(id: string, args?: unknown): Promise<unknown> };
    shell: { currentWidget: PagePanel | null };
  };
}
interface PagePanel {
  sessionContext?: { session: { kernel: { name: string; status: string } | null } | null };
  content?: {
    activeCellIndex: number;
    widgets: Array<{
      model: { toJSON(): { cell_type: string; source: string | string[]; execution_count?: number | null; outputs?: Array<Record<string, unknown>> } };
    }>;
  };
}

/** The notebook's state as the page sees it, for waits and for failure messages. */
export interface NotebookView {
  kernelName: string | null;
  kernelStatus: string | null;
  cells: Array<{ type: string; source: string; count: number | null; outputs: Array<Record<string, unknown>> }>;
}

/** A JupyterLab page driven by a test: steps that leave a screenshot, and waits that say what they waited for. */
export interface LabPage {
  /** Runs one step; on failure saves a screenshot and adds the browser console and the server log to the error. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  notebookView(): Promise<NotebookView>;
  /** Polls `probe` every 500 ms until it returns something truthy; on timeout, the error names `what` and the notebook's state. */
  waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T>;
}

/** The step, view and wait helpers over `page`, with screenshots in `shots` named `<prefix>-<step>.png`. */
export function labPage(page: Page, lab: JupyterLab, shots: string, prefix: string): LabPage {
  const consoleLines: string[] = [];
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));

  const notebookView = (): Promise<NotebookView> =>
    page.evaluate(() => {
      const panel = (globalThis as unknown as PageGlobals).jupyterapp.shell.currentWidget;
      const kernel = panel?.sessionContext?.session?.kernel ?? null;
      const cells = (panel?.content?.widgets ?? []).map((cell) => {
        const json = cell.model.toJSON();
        return {
          type: json.cell_type,
          source: Array.isArray(json.source) ? json.source.join("") : json.source,
          count: json.execution_count ?? null,
          outputs: json.outputs ?? [],
        };
      });
      return { kernelName: kernel?.name ?? null, kernelStatus: kernel?.status ?? null, cells };
    });

  return {
    notebookView,
    async step(name, fn) {
      try {
        const value = await fn();
        await page.screenshot({ path: join(shots, `${prefix}-${name}.png`) });
        return value;
      } catch (error) {
        const shot = join(shots, `${prefix}-${name}.FAILED.png`);
        await page.screenshot({ path: shot }).catch(() => undefined);
        const tail = (s: string, n: number) => s.split("\n").slice(-n).join("\n");
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(
          `step "${name}" failed: ${message}\nscreenshot: ${shot}\n` +
            `--- browser console (last 40) ---\n${consoleLines.slice(-40).join("\n")}\n` +
            `--- jupyter lab log (last 60 lines) ---\n${tail(lab.log(), 60)}`,
          { cause: error },
        );
      }
    },
    async waitFor(what, timeoutMs, probe) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown = null;
      for (;;) {
        try {
          const value = await probe();
          if (value) return value;
        } catch (error) {
          last = error;
        }
        if (Date.now() > deadline) {
          const view = await notebookView().catch(() => null);
          throw new Error(
            `timed out after ${timeoutMs / 1000} s waiting for ${what}` +
              (last ? ` (last error: ${String(last)})` : "") +
              `\nkernel: ${view?.kernelName} ${view?.kernelStatus}` +
              `\ncells: ${JSON.stringify(view?.cells.map((c) => ({ count: c.count, source: c.source.slice(0, 60), outputs: c.outputs.map((o) => o.output_type) })))}`,
          );
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
  };
}
