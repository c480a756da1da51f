import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Locator, Page } from "playwright-core";
import { startJupyterLab, type JupyterLab } from "./jupyterLab.js";
import { CHROMIUM_ARGS, labPage, type LabPage, type PageGlobals } from "./labPage.js";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "./tempWorkspace.js";

/** Where the browser tests' step screenshots go, `<shotsPrefix>-<step>.png`, for reading a failure. */
export const shotsDir = join(repoRoot, "test-output", "browser");
/** Where the screenshots meant for the README go (docs/images copies some of them). */
export const screenshotsDir = join(repoRoot, "test-output", "screenshots");

const MINUTE = 60_000;

/**
 * The text of a notebook on the dw kernel whose code cells are `cells`, each `[id, source]`, none run yet.
 *
 * @example
 * const files = { "t.ipynb": dwNotebook([["load", "%dw load_dataset data/seattle-weather.csv --as weather"]]) };
 */
export function dwNotebook(cells: Array<[id: string, source: string]>): string {
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { display_name: "TypeScript (dw)", language: "typescript", name: "dw" },
        language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
      },
      cells: cells.map(([id, source]) => ({ id, cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
    },
    null,
    1,
  );
}

export interface BrowserSessionOptions {
  /** The temporary workspace folder's name prefix, e.g. `dw-browser-tools-`. */
  prefix: string;
  /** Step screenshots are saved in {@link shotsDir} as `<shotsPrefix>-<step>.png`. */
  shotsPrefix: string;
  /** Which frontend to serve: JupyterLab (default) or Notebook 7. */
  app?: "lab" | "notebook";
  /** Files written into the workspace before the server starts: path relative to the workspace → content. */
  files?: Record<string, string>;
  /** Runs on the workspace's folder after `files` are written and before the server starts (e.g. `git init`). */
  prepare?: (dir: string) => Promise<void>;
  /** The page's size; 1440 × 900 unless given. */
  viewport?: { width: number; height: number };
}

/** A workspace served by a real JupyterLab (or Notebook 7), and one Chromium page on it. */
export interface BrowserSession {
  tw: TempWorkspace;
  lab: JupyterLab;
  browser: Browser;
  page: Page;
  ui: LabPage;
  /** Runs a JupyterLab command in the page and waits for it to finish; answers what the command returned. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /**
   * Starts a JupyterLab command in the page without waiting for it to finish: `notebook:run-all-cells`
   * resolves only when every cell has run, and a command that opens a dialog only when it is closed.
   */
  start(command: string, args?: Record<string, unknown>): Promise<void>;
  /**
   * Saves `target` (the whole page when null) in the light theme, then in the dark theme, as
   * `<name>-light.png` and `<name>-dark.png` in {@link screenshotsDir}, and ends in the light theme.
   */
  lightAndDark(name: string, target: Locator | null): Promise<void>;
  /** Closes the browser, stops the server and removes the workspace. */
  close(): Promise<void>;
}

/**
 * Makes a temporary workspace (the quickstart and its data, plus `files`), starts JupyterLab on it
 * and opens Chromium on a page of the given size: the set-up every browser test shares. If any
 * part fails, what was already started is stopped before the error is thrown.
 *
 * @example
 * let session: BrowserSession;
 * before(async () => {
 *   session = await openBrowserSession({ prefix: "dw-browser-tools-", shotsPrefix: "tools", files: { "t.ipynb": "{}" } });
 * });
 * after(() => session?.close());
 */
export async function openBrowserSession(options: BrowserSessionOptions): Promise<BrowserSession> {
  await mkdir(shotsDir, { recursive: true });
  await mkdir(screenshotsDir, { recursive: true });
  const tw = await makeTempWorkspace(options.prefix);
  let lab: JupyterLab | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    try {
      await browser?.close();
    } finally {
      try {
        await lab?.stop();
      } finally {
        await tw.cleanup();
      }
    }
  };
  try {
    for (const [path, content] of Object.entries(options.files ?? {})) {
      await mkdir(dirname(join(tw.dir, path)), { recursive: true });
      await writeFile(join(tw.dir, path), content);
    }
    await options.prepare?.(tw.dir);
    lab = await startJupyterLab({ rootDir: tw.dir, app: options.app });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 900 } });
    const ui = labPage(page, lab, shotsDir, options.shotsPrefix);

    const execute = (command: string, args?: Record<string, unknown>): Promise<unknown> =>
      page.evaluate(([c, a]) => (globalThis as unknown as PageGlobals).jupyterapp.commands.execute(c as string, a), [command, args] as const);
    const start = (command: string, args?: Record<string, unknown>): Promise<void> =>
      page.evaluate(([c, a]) => void (globalThis as unknown as PageGlobals).jupyterapp.commands.execute(c as string, a), [command, args] as const);

    const setTheme = async (theme: "JupyterLab Light" | "JupyterLab Dark"): Promise<void> => {
      await execute("apputils:change-theme", { theme });
      const light = theme === "JupyterLab Light";
      await page.locator(`body[data-jp-theme-light='${light}']`).waitFor({ state: "attached", timeout: MINUTE });
      // The attribute flips before every stylesheet has repainted.
      await page.waitForTimeout(500);
    };
    const lightAndDark = async (name: string, target: Locator | null): Promise<void> => {
      const shoot = (suffix: string) => {
        const path = join(screenshotsDir, `${name}-${suffix}.png`);
        return target ? target.screenshot({ path }) : page.screenshot({ path });
      };
      await shoot("light");
      await setTheme("JupyterLab Dark");
      await shoot("dark");
      await setTheme("JupyterLab Light");
    };

    return { tw, lab, browser, page, ui, execute, start, lightAndDark, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
