import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openBrowserSession, screenshotsDir, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage } from "../helpers/labPage.js";

// The dw extension in Notebook 7 (`jupyter notebook`), which loads the same labextension into its
// own shell: the quickstart runs on the dw kernel, the sidebar opens in Notebook 7's right panel
// and connects, and the notebook toolbar's Productionize serves the training cell's run.

const MINUTE = 60_000;

let session: BrowserSession;
let server: JupyterLab;
let page: Page;
let ui: LabPage;
let start: BrowserSession["start"];

before(async () => {
  session = await openBrowserSession({ prefix: "dw-notebook7-", shotsPrefix: "notebook7", app: "notebook" });
  ({ lab: server, page, ui, start } = session);
});

after(() => session?.close());

test("in Notebook 7 the quickstart runs on the dw kernel, the dw sidebar connects, and Productionize serves the training cell's run", {
  timeout: 15 * MINUTE,
}, async () => {
  await ui.step("01-notebook-open", async () => {
    await page.goto(`${server.url}/notebooks/quickstart.ipynb?token=${server.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    // Notebook 7's own shell, not JupyterLab's: the page is the notebook alone.
    assert.equal(await page.locator("#jp-main-dock-panel").count(), 0, "this is Notebook 7's shell, not JupyterLab's");
    await ui.waitFor("the TypeScript (dw) kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
  });

  await ui.step("02-sidebar-connected", async () => {
    await start("dw:open-sidebar");
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
  });

  await ui.step("03-cells-ran", async () => {
    await start("notebook:run-all-cells");
    const view = await ui.waitFor("every code cell to run", 8 * MINUTE, async () => {
      const v = await ui.notebookView();
      const code = v.cells.filter((c) => c.type === "code");
      return v.kernelStatus === "idle" && code.length > 0 && code.every((c) => c.count !== null) ? v : null;
    });
    const errors = view.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => `${String(o.ename)}: ${String(o.evalue)}`));
    assert.deepEqual(errors, [], "no cell raised an error");
  });

  const endpoint = await ui.step("04-productionize", async () => {
    const view = await ui.notebookView();
    const index = view.cells.findIndex((c) => c.type === "code" && /%dw train_model/.test(c.source));
    assert.ok(index >= 0, "the quickstart has a %dw train_model cell");
    const prompt = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index).locator(".jp-InputPrompt");
    await prompt.scrollIntoViewIfNeeded();
    await prompt.click();
    const item = page.locator(".jp-NotebookPanel-toolbar [data-jp-item-name='dw-productionize']");
    assert.equal((await item.innerText()).trim(), "Productionize");
    await item.locator("jp-button").click();
    // Whatever the dialog shows on the way, the endpoint ends up live in the sidebar.
    const live = page.locator(".dw-Sidebar .dw-Endpoint[data-endpoint]");
    await live.first().waitFor({ state: "visible", timeout: 4 * MINUTE });
    const error = page.locator(".jp-Dialog .dw-ProductionizeError");
    if (await error.count()) assert.fail(`Productionize failed: ${await error.innerText()}`);
    const key = (await live.first().getAttribute("data-endpoint")) ?? "";
    await ui.waitFor("the endpoint to be live", MINUTE, async () => /\blive\b/.test(await live.first().innerText()));
    return { key, url: (await live.first().locator(".dw-Endpoint-url").innerText()).trim() };
  });
  await page.screenshot({ path: join(screenshotsDir, "notebook7.png") });

  assert.match(endpoint.key, /@production$/);
  const res = await fetch(endpoint.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[0.0, 5.0, 4.7]] } }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { predictions: unknown[] };
  assert.equal(body.predictions.length, 1);
});
