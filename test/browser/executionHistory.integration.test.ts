import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { dwNotebook, openBrowserSession, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage, PageGlobals } from "../helpers/labPage.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";
import { HistoryDocument } from "../../src/execution/HistoryDocument.js";

// A cell edited in JupyterLab and run without saving, then a training from a cell: the run commit
// stores the notebook the browser held (the extension's notebook_snapshot, sent before each cell),
// unsaved edit included, says it came from the browser, and its history has both cells, in order,
// with their ids. The file on disk never had the edit.

const MINUTE = 60_000;
const EDIT = "// edited in the browser, not saved";
const TRAIN = "%dw train_model --data weather --target temp_max --features temp_min --algorithm linear_regression --as run";

let session: BrowserSession;
let tw: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;

before(async () => {
  session = await openBrowserSession({
    prefix: "dw-browser-history-",
    shotsPrefix: "history",
    files: {
      "history.ipynb": dwNotebook([
        ["load", "%dw load_dataset data/seattle-weather.csv --as weather"],
        ["train", TRAIN],
      ]),
    },
  });
  ({ tw, lab, page, ui } = session);
});

after(() => session?.close());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" }).trim();

/** Makes cell `index` the active one and runs it, as Shift+Enter would, and waits until the kernel has answered it. */
async function runCell(index: number): Promise<void> {
  const before = (await ui.notebookView()).cells[index].count;
  await page.evaluate((i) => {
    const app = (globalThis as unknown as PageGlobals).jupyterapp;
    app.shell.currentWidget!.content!.activeCellIndex = i;
    void app.commands.execute("notebook:run-cell");
  }, index);
  await ui.waitFor(`cell ${index} to run`, 4 * MINUTE, async () => {
    const v = await ui.notebookView();
    return v.kernelStatus === "idle" && v.cells[index].count !== null && v.cells[index].count !== before;
  });
}

test("a run made after an unsaved edit stores the browser's notebook, edit included, and the cells that ran", { timeout: 12 * MINUTE }, async () => {
  await ui.step("01-opened", async () => {
    // Autosave would write the edit to disk before the run; this test is about an edit never saved.
    const put = await fetch(`${lab.url}/lab/api/settings/@jupyterlab/docmanager-extension:plugin`, {
      method: "PUT",
      headers: { Authorization: `token ${lab.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ raw: JSON.stringify({ autosave: false }) }),
    });
    assert.ok(put.ok, `autosave could not be turned off: ${put.status} ${await put.text()}`);
    await page.goto(`${lab.url}/lab/tree/history.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await ui.waitFor("the dw kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
  });

  await ui.step("02-loaded", () => runCell(0));

  await ui.step("03-edited-and-trained", async () => {
    // Typed into the training cell's editor as a user would: a first line, never saved.
    await page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".cm-content").click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type(`${EDIT}\n`);
    await runCell(1);
    const view = await ui.notebookView();
    const errors = view.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => String(o.evalue)));
    assert.deepEqual(errors, []);
    assert.ok(view.cells[1].source.startsWith(EDIT), view.cells[1].source);
  });

  await ui.step("04-run-commit", async () => {
    const onDisk = await readFile(join(tw.dir, "history.ipynb"), "utf8");
    assert.ok(!onDisk.includes(EDIT), "the edit was never saved");
    const refs = git("for-each-ref", "--format=%(refname)", "refs/dw/runs/").split("\n");
    assert.equal(refs.length, 1, refs.join(", "));
    const ref = refs[0];
    const stored = JSON.parse(git("show", `${ref}:notebook.ipynb`)) as { cells: { id: string; source: string | string[] }[] };
    const source = (id: string) => [stored.cells.find((c) => c.id === id)?.source ?? ""].flat().join("");
    assert.equal(source("train"), `${EDIT}\n${TRAIN}`, "the notebook stored is the browser's, edit included");

    const doc = HistoryDocument.parse(JSON.parse(git("show", `${ref}:execution/history.json`)));
    assert.equal(doc.notebook_source, "browser");
    assert.deepEqual(
      doc.execution.cells.map((c) => [c.execution_count, c.cell_id, c.status]),
      [
        [1, "load", "ok"],
        [2, "train", "running"],
      ],
    );
    assert.equal(doc.execution.cells[1].code, `${EDIT}\n${TRAIN}`);
    assert.deepEqual(
      doc.execution.cells[0].dw_calls.map((c) => [c.tool, c.line, c.as, c.ok, c.result_id]),
      [["load_dataset", 1, "weather", true, "seattle-weather"]],
    );
    assert.ok(
      doc.findings.some((f) => f.kind === "unsaved_edits"),
      `the run says the notebook had unsaved edits: ${JSON.stringify(doc.findings)}`,
    );
  });
});
