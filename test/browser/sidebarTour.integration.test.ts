import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { dwNotebook, openBrowserSession, screenshotsDir, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage } from "../helpers/labPage.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";

// A new user's tour, from the sidebar alone, without typing a flag: in an empty dw notebook the
// Next steps panel says what to do first; the Tools panel's forms load the data and train; Next
// steps proposes to productionize the run and its button opens the Productionize dialog, which
// shows each step and ends live; the endpoint's traffic shows a request and Try it scores a row;
// a second training from a form, then Runs compares the two; Retrain retrains the endpoint.
// Along the way every control of the sidebar has a name a screen reader reads, the panels
// collapse by keyboard, and each panel and the Productionize dialog are saved in the light and
// the dark theme under test-output/screenshots/ (the README shows them).

const MINUTE = 60_000;

let session: BrowserSession;
let tw: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;
let execute: BrowserSession["execute"];
let lightAndDark: BrowserSession["lightAndDark"];
/** JupyterLab's warnings that a dw shortcut collides with another and was skipped. */
const collisions: string[] = [];

before(async () => {
  session = await openBrowserSession({
    prefix: "dw-browser-tour-",
    shotsPrefix: "tour",
    files: { "tour.ipynb": dwNotebook([["first", ""]]) },
    viewport: { width: 1440, height: 1000 },
  });
  ({ tw, lab, page, ui, execute, lightAndDark } = session);
  page.on("console", (m) => {
    if (/Skipping .*dw:.* collides/.test(m.text())) collisions.push(m.text());
  });
});

after(() => session?.close());

const panel = (id: string): Locator => page.locator(`.dw-Sidebar [data-panel='${id}']`);
const tools = () => panel("tools");
const runRefs = () =>
  execFileSync("git", ["for-each-ref", "--format=%(refname)", "refs/dw/runs/"], { cwd: tw.dir, encoding: "utf8" }).split("\n").filter(Boolean);

/** Picks a tool in the Tools panel by its search box, fills its form's fields by id and runs it. */
async function runTool(tool: string, fields: Record<string, string>, selects: Record<string, string> = {}): Promise<string> {
  await tools().locator(".dw-Tools-search").fill(tool);
  await tools().locator(`.dw-Tools-item[data-tool='${tool}']`).click();
  await tools().locator(".dw-Tools-form form").waitFor({ state: "visible" });
  for (const [id, value] of Object.entries(fields)) await tools().locator(`#root_${id}`).fill(value);
  for (const [id, value] of Object.entries(selects)) await tools().locator(`#root_${id}`).selectOption(value);
  await tools().locator(".dw-Tools-run").click();
  await ui.waitFor(`${tool}'s result`, 4 * MINUTE, async () => (await tools().locator(".dw-Tools-summary, .dw-Tools-error").count()) > 0);
  const error = tools().locator(".dw-Tools-error");
  if ((await error.count()) > 0) assert.fail(`${tool} from its form: ${await error.innerText()}`);
  return tools().locator(".dw-Tools-summary").innerText();
}

/** Scrolls the sidebar so that panel `id` starts at its top, then saves the whole page as <name>.png (the README shows these). */
async function pageWithPanel(name: string, id: string): Promise<void> {
  await panel(id).evaluate((n) => (n as unknown as { scrollIntoView(o: { block: string }): void }).scrollIntoView({ block: "start" }));
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`) });
}

/** Every button, input, select and text area in `root` has a name a screen reader reads (its text, a label, aria-label or aria-labelledby). */
/** The little of a DOM element the check below reads (this project compiles without the DOM's types). */
interface El {
  textContent: string | null;
  tagName: string;
  outerHTML: string;
  offsetParent: unknown;
  labels?: ArrayLike<{ textContent: string | null }> | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  ownerDocument: { getElementById(id: string): { textContent: string | null } | null };
}

async function unnamedControls(root: Locator): Promise<string[]> {
  return root.evaluate((node) => {
    const named = (el: El): boolean => {
      const text = (el.textContent ?? "").trim();
      if (el.getAttribute("aria-label")?.trim()) return true;
      const by = el.getAttribute("aria-labelledby");
      if (by?.split(/\s+/).some((id) => (el.ownerDocument.getElementById(id)?.textContent ?? "").trim())) return true;
      if (el.tagName === "BUTTON") return text.length > 0 || Boolean(el.getAttribute("title")?.trim());
      if (el.labels && Array.from(el.labels).some((l) => (l.textContent ?? "").trim())) return true;
      return Boolean(el.getAttribute("title")?.trim());
    };
    const all = Array.from((node as unknown as El).querySelectorAll("button, input:not([type='hidden']), select, textarea"));
    return all.filter((el) => el.offsetParent !== null && !named(el)).map((el) => el.outerHTML.slice(0, 160));
  });
}

test("a new user trains, productionizes, watches, compares and retrains from the sidebar without typing a flag", { timeout: 20 * MINUTE }, async () => {
  await ui.step("01-empty-workspace", async () => {
    await page.goto(`${lab.url}/lab/tree/tour.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await ui.waitFor("the dw kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
    await page.locator(".jp-SideBar.jp-mod-right [data-id='dw-sidebar']").click();
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
    // A wider right sidebar, as a user drags it, for readable screenshots.
    await page.evaluate(() => {
      const shell = (globalThis as unknown as { jupyterapp: { shell: { _hsplitPanel?: { setRelativeSizes(s: number[]): void } } } }).jupyterapp.shell;
      shell._hsplitPanel?.setRelativeSizes([0.12, 0.55, 0.33]);
    });
    // Before anything is trained, Next steps says what to do first.
    await panel("next-steps").locator(".dw-NextSteps-empty").waitFor({ state: "visible", timeout: MINUTE });
    assert.deepEqual(
      await page.locator(".dw-Sidebar .dw-Panel-toggle").allInnerTexts(),
      ["Next steps", "Runs", "Models", "Endpoints", "Gates", "Tools", "Team registry"].map((t) => t.toUpperCase()),
    );
  });

  await ui.step("02-load-and-train-from-forms", async () => {
    await execute("dw:show-panel", { panel: "tools" });
    assert.match(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }), /1461/);
    assert.match(await runTool("train_model", { dataset_id: "weather", target: "temp_max" }, { algorithm: "linear_regression" }), /run_id/);
    assert.equal(runRefs().length, 1);
  });

  const endpoint = await ui.step("03-next-step-productionize", async () => {
    const step = panel("next-steps").locator(".dw-NextStep[data-rule='productionize_first_run']");
    await step.waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await step.locator(".dw-NextStep-reason").innerText(), /temp_max/);
    await step.locator(".dw-NextStep-button").click();
    const dialog = page.locator(".jp-Dialog");
    await dialog
      .locator(".dw-ProductionizeResult, .dw-ProductionizeError, .dw-ProductionizeBlocked")
      .first()
      .waitFor({ state: "visible", timeout: 4 * MINUTE });
    if ((await dialog.locator(".dw-ProductionizeResult").count()) === 0) assert.fail(`Productionize did not ship: ${await dialog.innerText()}`);
    // Every step ended with a status and a time.
    const steps = dialog.locator(".dw-ProductionizeSteps-step");
    assert.ok((await steps.count()) >= 6, "the dialog lists the steps");
    for (const text of await steps.allInnerTexts()) assert.doesNotMatch(text, /pending|running/i, text);
    await lightAndDark("productionize", dialog.locator(".jp-Dialog-content"));
    const url = (await dialog.locator(".dw-ProductionizeResult-url").innerText()).trim();
    await dialog.locator("button.jp-mod-accept").click();
    await dialog.waitFor({ state: "detached", timeout: MINUTE });
    return url;
  });

  await ui.step("04-watch-the-endpoint", async () => {
    const card = page.locator(".dw-Sidebar .dw-Endpoint[data-endpoint='temp_max@production']");
    await card.waitFor({ state: "visible", timeout: MINUTE });
    assert.equal((await card.locator(".dw-Endpoint-url").innerText()).trim(), endpoint);
    const curl = await card.locator(".dw-Endpoint-curl").innerText();
    const token = curl.match(/Authorization: Bearer ([0-9a-f]+)/)?.[1];
    const body = curl.match(/-d '(.*)'$/m)?.[1] ?? "";
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body,
    });
    assert.equal(res.status, 200, await res.clone().text());
    // The open sidebar polls: the request shows in the endpoint's traffic unasked.
    await ui.waitFor("the request in the endpoint's traffic", MINUTE, async () =>
      /^1 request · 0 errors/.test(await card.locator(".dw-Endpoint-traffic").first().innerText()),
    );
    await card.locator(".dw-TryIt-summary").click();
    await card.locator(".dw-TryIt-send").click();
    await card.locator(".dw-TryIt-result[data-state='done']").waitFor({ state: "visible", timeout: 2 * MINUTE });
    assert.ok(Number.isFinite(Number(await card.locator(".dw-TryIt-value").getAttribute("title"))));
    await pageWithPanel("readme-lab", "next-steps");
  });

  await ui.step("05-second-run-and-compare", async () => {
    await execute("dw:show-panel", { panel: "tools" });
    await runTool("train_model", { dataset_id: "weather", target: "temp_max" }, { algorithm: "decision_tree" });
    assert.equal(runRefs().length, 2);
    const runs = panel("runs").locator(".dw-Run");
    await ui.waitFor("both runs in the Runs panel", MINUTE, async () => (await runs.count()) === 2);
    await runs.nth(0).locator(".dw-Run-select").check();
    await runs.nth(1).locator(".dw-Run-select").check();
    await panel("runs").locator(".dw-Runs-compare").click();
    const comparison = panel("runs").locator(".dw-Compare-body");
    await comparison.waitFor({ state: "visible", timeout: MINUTE });
    const text = await comparison.innerText();
    assert.match(text, /decision_tree/);
    assert.match(text, /linear_regression/);
    assert.match(await comparison.locator(".dw-Compare-data").innerText(), /Same data: weather/);
    await pageWithPanel("readme-runs", "runs");
  });

  await ui.step("06-retrain", async () => {
    const card = page.locator(".dw-Sidebar .dw-Endpoint[data-endpoint='temp_max@production']");
    await card.locator(".dw-RetrainButton").click();
    const outcome = card.locator(".dw-Retrain[data-retrain='done'], .dw-Retrain[data-retrain='failed']");
    await outcome.waitFor({ state: "visible", timeout: 4 * MINUTE });
    if ((await card.locator(".dw-Retrain[data-retrain='failed']").count()) > 0) assert.fail(`Retrain failed: ${await outcome.innerText()}`);
    assert.equal(runRefs().length, 3, "Retrain made a new run");
  });

  await ui.step("07-accessible-by-name-and-keyboard", async () => {
    assert.deepEqual(collisions, [], "no dw keyboard shortcut collides with JupyterLab's own");
    assert.deepEqual(await unnamedControls(page.locator(".dw-Sidebar")), [], "every control in the sidebar has a name");
    const toggle = panel("gates").locator(".dw-Panel-toggle");
    await toggle.focus();
    await page.keyboard.press("Enter");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    assert.equal(await panel("gates").locator(".dw-Panel-body").isHidden(), true);
    await page.keyboard.press("Space");
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  });

  await ui.step("08-screenshots", async () => {
    for (const id of ["next-steps", "runs", "models", "endpoints", "gates"]) await lightAndDark(`tour-${id}`, panel(id));
    await lightAndDark("tour-sidebar", page.locator(".dw-Sidebar"));
    await lightAndDark("tour-lab", null);
  });
});
