import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import type { Page } from "playwright-core";
import { dwNotebook, openBrowserSession, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage, PageGlobals } from "../helpers/labPage.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";

// A model version's Code dialog in a real JupyterLab with the dw labextension, the dw kernel and
// Chromium. The notebook trains and registers temp v1; then its features cell is edited in the
// browser (not saved) to add wind, and the features, training and registering cells run again:
// temp v2. The Models panel's Code of v2 shows the code that ran before its training in execution
// order (both versions of the features cell, the edited one last), the findings (the features cell
// ran twice and changed), the notebook as the browser had it and the environment; Diff with v1
// shows the changed line from the execution histories; Reproduce rebuilds v2 to the same bytes as
// the model.json in its run commit.

const MINUTE = 60_000;

const FEATURES_V1 = 'const features = ["precipitation", "temp_min"];';
const FEATURES_V2 = 'const features = ["precipitation", "temp_min", "wind"];';
const NOTEBOOK = dwNotebook([
  ["load", "%dw load_dataset data/seattle-weather.csv --as weather"],
  ["features", FEATURES_V1],
  ["train", 'const run = await dw.trainModel({ dataset_id: "seattle-weather", target: "temp_max", features: features, algorithm: "linear_regression" });'],
  ["register", 'await dw.registerModel({ model_id: run.run_id, model_name: "temp" });'],
]);

let session: BrowserSession;
let tw: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;
let lightAndDark: BrowserSession["lightAndDark"];

before(async () => {
  session = await openBrowserSession({
    prefix: "dw-browser-versioncode-",
    shotsPrefix: "version-code",
    files: { "versions.ipynb": NOTEBOOK },
    viewport: { width: 1440, height: 1000 },
  });
  ({ tw, lab, page, ui, lightAndDark } = session);
});

after(() => session?.close());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });
const models = () => page.locator(".dw-Sidebar .dw-Panel[data-panel='models']");
const dialog = () => page.locator(".jp-Dialog:has(.dw-RunCode)");

/** The notebook panel's cells as the page holds them, with the shared model the editor writes to. */
interface EditablePanel {
  content: { activeCellIndex: number; widgets: Array<{ model: { sharedModel: { setSource(source: string): void } } }> };
}

/** The page's focused element, read in the page (the tests compile without the DOM's types). */
interface FocusGlobals {
  document: { activeElement: { getAttribute(name: string): string | null } | null };
}

/** Waits until the cells have run as `count` says (or one raised) and the kernel is idle; fails if a cell raised. */
async function cellsRan(what: string, count: (counts: Array<number | null>) => boolean): Promise<void> {
  const view = await ui.waitFor(what, 6 * MINUTE, async () => {
    const v = await ui.notebookView();
    const failed = v.cells.some((c) => c.outputs.some((o) => o.output_type === "error"));
    return v.kernelStatus === "idle" && (failed || count(v.cells.map((c) => c.count))) ? v : null;
  });
  const errors = view.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => `${c.source.split("\n")[0]}: ${String(o.evalue)}`));
  assert.deepEqual(errors, [], "no cell raised an error");
}

test("a version's Code shows what ran before its training in order, diffs it with the previous version and reproduces it to the same bytes", {
  timeout: 20 * MINUTE,
}, async () => {
  await ui.step("01-two-versions", async () => {
    await page.goto(`${lab.url}/lab/tree/versions.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await ui.waitFor("the dw kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
    await session.start("notebook:run-all-cells");
    await cellsRan("the four cells to run", (counts) => counts.every((c) => c !== null) && counts[3] === 4);
    // Edit the features cell as the editor does (its shared model), without saving, and run it and the cells below.
    await page.evaluate((source) => {
      const panel = (globalThis as unknown as PageGlobals).jupyterapp.shell.currentWidget as unknown as EditablePanel;
      panel.content.widgets[1]!.model.sharedModel.setSource(source);
      panel.content.activeCellIndex = 1;
    }, FEATURES_V2);
    await session.start("notebook:run-all-below");
    await cellsRan("the features, train and register cells to run again", (counts) => counts[3] === 7);
    await page.locator(".jp-SideBar.jp-mod-right [data-id='dw-sidebar']").click();
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
    await models().locator(".dw-Model[data-model='temp'] tr[data-version='2']").waitFor({ state: "visible", timeout: MINUTE });
  });

  const runId = await ui.step("02-code", async () => {
    const code = models().locator(".dw-Model[data-model='temp'] tr[data-version='2'] .dw-Version-code");
    assert.match((await code.getAttribute("aria-label")) ?? "", /^Code of temp v2/);
    await code.click();
    const body = dialog().locator(".dw-RunCode-panel-code");
    await body.locator(".dw-RunCode-code").waitFor({ state: "visible", timeout: MINUTE });
    assert.equal(await dialog().locator(".dw-RunCode-tab[aria-selected='true']").getAttribute("data-tab"), "code");
    assert.equal(await body.locator(".dw-RunCode-code").getAttribute("data-of"), "history");

    // The cells in the order they ran: the headers' execution counts rise, and the training cell is last.
    const headers = await body.locator(".dw-RunCode-line.dw-mod-cell").allInnerTexts();
    const counts = headers.map((line) => Number(line.match(/\[(\d+)\]/)?.[1]));
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => a - b),
      `headers in execution order: ${headers.join(" | ")}`,
    );
    assert.match(headers[0] ?? "", /cell load/);
    assert.match(headers[headers.length - 1] ?? "", /\[6\] cell train/);
    const text = await body.locator(".dw-RunCode-code").innerText();
    const first = text.indexOf(FEATURES_V1);
    const second = text.indexOf(FEATURES_V2);
    assert.ok(first >= 0 && second > first, "both versions of the features cell, the edited one after the first");
    assert.ok(text.indexOf("dw.trainModel", second) > second, "the training that made v2 comes after the edited features");

    // The findings above the code: the features cell ran twice and its code changed.
    const findings = body.locator(".dw-RunCode-finding");
    const kinds = await findings.evaluateAll((els) => els.map((el) => el.getAttribute("data-kind")));
    assert.ok(kinds.includes("rerun") || kinds.includes("edited_after_run"), `a re-run or an edit is reported: ${kinds.join(", ")}`);
    assert.match(await findings.filter({ hasText: "features" }).first().innerText(), /features/);
    assert.equal(await body.locator("dd[data-field='notebook']").getAttribute("class"), "dw-mod-browser");
    assert.match(await body.locator("dd[data-field='environment']").innerText(), /^Node \d+\.\d+\.\d+ · tslab [\d.]+ · dw [\d.]+ · linux /);
    const run = (await body.locator("dd[data-field='run']").innerText()).split(" · ")[0]!;
    assert.equal(
      git("show", `refs/dw/runs/${run}:execution/history.ts`),
      await body.locator(".dw-RunCode-code").evaluate((el) => el.textContent),
      "the code shown is history.ts, byte for byte",
    );

    // Every control in the dialog has a name a screen reader reads (JupyterLab's own close button is named by its title).
    const unnamed = await dialog()
      .locator("button, [role='tab'], pre[tabindex]")
      .evaluateAll((els) =>
        els.filter((el) => !(el.getAttribute("aria-label") || el.textContent || el.getAttribute("title") || "").trim()).map((el) => el.outerHTML.slice(0, 80)),
      );
    assert.deepEqual(unnamed, []);
    await lightAndDark("version-code", dialog().locator(".jp-Dialog-content"));
    return run;
  });

  await ui.step("03-diff", async () => {
    // By keyboard: the selected tab has the focus; the right arrow moves to Diff.
    await dialog().locator(".dw-RunCode-tab[data-tab='code']").focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => (globalThis as unknown as FocusGlobals).document.activeElement?.getAttribute("data-tab")), "diff");
    assert.equal(await dialog().locator(".dw-RunCode-tab[data-tab='diff']").innerText(), "Diff with v1");
    const body = dialog().locator(".dw-RunCode-panel-diff");
    const code = body.locator(".dw-Compare-code");
    await code.waitFor({ state: "visible", timeout: MINUTE });
    assert.equal(await code.getAttribute("data-of"), "history");
    assert.match(await code.locator(".dw-Compare-of").innerText(), /execution order \(execution\/history\.ts\)/);
    const added = (await code.locator(".dw-Diff-line.dw-mod-add").allInnerTexts()).join("\n");
    assert.ok(added.includes(FEATURES_V2), `the changed line is added: ${added}`);
    const features = body.locator(".dw-Compare-parameters tr[data-parameter]").filter({ hasText: "features" });
    assert.match(await features.first().innerText(), /wind/);
    assert.match(await body.locator(".dw-Compare-data").innerText(), /Same data: seattle-weather/);
    await lightAndDark("version-diff", dialog().locator(".jp-Dialog-content"));
  });

  await ui.step("04-reproduce", async () => {
    await dialog().locator(".dw-RunCode-tab[data-tab='reproduce']").click();
    const body = dialog().locator(".dw-RunCode-panel-reproduce");
    const button = body.locator(".dw-RunCode-reproduce");
    assert.equal(await button.innerText(), "Reproduce v2");
    await button.press("Enter");
    const verdict = body.locator(".dw-RunCode-verdict");
    await verdict.waitFor({ state: "visible", timeout: 5 * MINUTE });
    assert.equal(await verdict.getAttribute("data-identical"), "true", await verdict.innerText());
    assert.equal(await verdict.locator(".dw-RunCode-verdictHead").innerText(), "Same bytes");
    const stored = createHash("sha256")
      .update(git("show", `refs/dw/runs/${runId}:model.json`))
      .digest("hex");
    assert.equal(await verdict.locator(".dw-RunCode-sha").first().innerText(), `sha256 ${stored}`);
    assert.ok((await body.locator(".dw-RunCode-metrics li.dw-mod-equal").count()) >= 1);
    assert.equal(await body.locator(".dw-RunCode-metrics li.dw-mod-differs").count(), 0);
    await lightAndDark("version-reproduce", dialog().locator(".jp-Dialog-content"));
  });

  await ui.step("05-close", async () => {
    // Escape, from within the dialog (the theme switches of the screenshots moved the focus out).
    await dialog().locator(".dw-RunCode-tab[data-tab='reproduce']").focus();
    await page.keyboard.press("Escape");
    await dialog().waitFor({ state: "detached", timeout: MINUTE });
    // Opened again, the dialog shows what it had read and the reproduction, without asking again.
    await models().locator(".dw-Model[data-model='temp'] tr[data-version='2'] .dw-Version-code").click();
    await dialog().locator(".dw-RunCode-code").waitFor({ state: "visible", timeout: MINUTE });
    await dialog().locator(".dw-RunCode-tab[data-tab='reproduce']").click();
    assert.equal(await dialog().locator(".dw-RunCode-verdict").getAttribute("data-identical"), "true");
    await page.keyboard.press("Escape");
    await dialog().waitFor({ state: "detached", timeout: MINUTE });
  });
});
