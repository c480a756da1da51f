import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { Page } from "playwright-core";
import { openBrowserSession, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage } from "../helpers/labPage.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";

// The Tools panel in a real JupyterLab with the dw labextension, the dw kernel and Chromium: find
// load_dataset with the search box, fill its form (JupyterLab's rjsf FormComponent) and Run it;
// then train_model the same way, which makes a run (a commit under refs/dw/runs); then "Insert as
// %dw line" puts the equivalent line below the active cell, and running that cell trains again.

const MINUTE = 60_000;

let session: BrowserSession;
let tw: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;
let execute: BrowserSession["execute"];

before(async () => {
  session = await openBrowserSession({ prefix: "dw-browser-tools-", shotsPrefix: "tools", viewport: { width: 1440, height: 1000 } });
  ({ tw, lab, page, ui, execute } = session);
});

after(() => session?.close());

function runRefs(): string[] {
  try {
    const out = execFileSync("git", ["-C", tw.dir, "for-each-ref", "--format=%(refname)", "refs/dw/runs/"], { encoding: "utf8" });
    return out.split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

const tools = () => page.locator("[data-panel='tools']");

async function pick(query: string, tool: string): Promise<void> {
  await tools().locator(".dw-Tools-search").fill(query);
  const item = tools().locator(`.dw-Tools-item[data-tool='${tool}']`);
  await item.waitFor({ state: "visible" });
  // The search hides tools that do not match.
  const shown = await tools().locator(".dw-Tools-list li:not([hidden])").count();
  assert.ok(shown < (await tools().locator(".dw-Tools-list li").count()), `search '${query}' hid no tool`);
  await item.click();
  assert.equal(await item.getAttribute("aria-pressed"), "true");
  await tools().locator(".dw-Tools-form form").waitFor({ state: "visible" });
}

async function runAndWait(what: string): Promise<string> {
  await tools().locator(".dw-Tools-run").click();
  await ui.waitFor(what, 4 * MINUTE, async () => (await tools().locator(".dw-Tools-summary, .dw-Tools-error").count()) > 0);
  const error = tools().locator(".dw-Tools-error");
  if ((await error.count()) > 0) assert.fail(`${what}: ${await error.innerText()}`);
  return tools().locator(".dw-Tools-summary").innerText();
}

test("Tools panel: a form per tool, Run shows the result, Insert as %dw line puts a cell that runs", { timeout: 15 * MINUTE }, async () => {
  await ui.step("01-connected", async () => {
    await page.goto(`${lab.url}/lab/tree/quickstart.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await ui.waitFor("the dw kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
    await execute("dw:show-panel", { panel: "tools" });
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
    await tools().locator(".dw-Tools-search").waitFor({ state: "visible" });
    // The search box has a label a screen reader reads.
    const id = await tools().locator(".dw-Tools-search").getAttribute("id");
    assert.equal(await tools().locator(`label[for='${id}']`).count(), 1);
  });

  await ui.step("02-load-dataset", async () => {
    await pick("load", "load_dataset");
    assert.match(await tools().locator(".dw-Tools-note").innerText(), /data/);
    await tools().locator("#root_path").fill("data/seattle-weather.csv");
    await tools().locator("#root_dataset_id").fill("weather_tools");
    const summary = await runAndWait("load_dataset's result");
    assert.match(summary, /weather_tools/);
    assert.match(summary, /1461/);
    await tools().locator(".dw-Tools-json summary").click();
    assert.match(await tools().locator(".dw-Tools-json pre").innerText(), /"sha256"/);
  });

  const before = runRefs().length;
  await ui.step("03-train-model", async () => {
    await pick("train_model", "train_model");
    await tools().locator("#root_dataset_id").fill("weather_tools");
    await tools().locator("#root_target").fill("temp_max");
    await tools().locator("#root_algorithm").selectOption("linear_regression");
    const summary = await runAndWait("train_model's result");
    assert.match(summary, /run_id/);
    assert.equal(runRefs().length, before + 1, "train_model from the form made one run");
  });

  await ui.step("04-screenshots", async () => {
    await session.lightAndDark("tools", tools());
  });

  await ui.step("05-insert-and-run", async () => {
    const cellsBefore = (await ui.notebookView()).cells.length;
    await tools().locator(".dw-Tools-insert").click();
    // The algorithm was chosen in the form (the tool has no default: the task picks one), so the line names it as the call did.
    const expected = "%dw train_model --dataset_id weather_tools --target temp_max --algorithm linear_regression";
    const cell = await ui.waitFor("the inserted cell", MINUTE, async () => {
      const v = await ui.notebookView();
      return v.cells.length === cellsBefore + 1 && v.cells.find((c) => c.source.startsWith("%dw train_model"));
    });
    // Names that could be kernel variables are quoted, so the line means the same whatever the notebook defines.
    assert.equal(cell.source.replace(/'/g, ""), expected);
    assert.match(cell.source, /--dataset_id 'weather_tools'/);
    const runs = runRefs().length;
    await execute("notebook:run-cell");
    const ran = await ui.waitFor("the inserted cell to run", 4 * MINUTE, async () => {
      const c = (await ui.notebookView()).cells.find((x) => x.source === cell.source);
      return c && c.count !== null && c.outputs.length > 0 && c;
    });
    assert.ok(!ran.outputs.some((o) => o.output_type === "error"), JSON.stringify(ran.outputs).slice(0, 2000));
    assert.equal(runRefs().length, runs + 1, "running the inserted line made one run");
  });
});
