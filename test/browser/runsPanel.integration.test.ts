import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { Page } from "playwright-core";
import { dwNotebook, openBrowserSession, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage, PageGlobals } from "../helpers/labPage.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";

// The sidebar's Runs, Gates and Models panels in a real JupyterLab with the dw labextension, the dw
// kernel and Chromium, on runs made by a notebook's cells: two trainings that differ in their
// features, two registered versions and an approval request. Runs: both runs listed with metric,
// data and gate badge; Compare shows metrics and the parameters that differ; Open cell goes back
// to the cell that trained a run. Gates: the pending request is approved with a typed reason (a
// short one is asked again), and the review commit is in git. Models: a version's card and
// lineage, then Set alias… moves @staging to it through deploy_model, which git records too.

const MINUTE = 60_000;

const NOTEBOOK = dwNotebook([
  ["load", "%dw load_dataset data/seattle-weather.csv --as weather"],
  ["train-two", "%dw train_model --data weather --target temp_max --features precipitation,temp_min --algorithm linear_regression --as small"],
  ["train-three", "%dw train_model --data weather --target temp_max --features precipitation,temp_min,wind --algorithm linear_regression --as full"],
  ["register-small", "%dw register_model --run_id small.run_id --name temp"],
  ["register-full", "%dw register_model --run_id full.run_id --name temp"],
  ["ask", '%dw request_approval --model temp --version 2 --alias staging --reason "adds wind; beats v1 on r2"'],
]);

let session: BrowserSession;
let tw: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;
let lightAndDark: BrowserSession["lightAndDark"];

before(async () => {
  session = await openBrowserSession({
    prefix: "dw-browser-panels-",
    shotsPrefix: "panels",
    files: { "panels.ipynb": NOTEBOOK },
    viewport: { width: 1440, height: 1000 },
  });
  ({ tw, lab, page, ui, lightAndDark } = session);
});

after(() => session?.close());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" }).trim();
const sidebar = () => page.locator(".dw-Sidebar");
const panel = (id: string) => page.locator(`.dw-Sidebar .dw-Panel[data-panel='${id}']`);
const activeCell = () => page.evaluate(() => (globalThis as unknown as PageGlobals).jupyterapp.shell.currentWidget?.content?.activeCellIndex ?? -1);

/** Types `text` into the open dialog's field and presses its accept button. */
async function answerDialog(text: string): Promise<void> {
  const field = page.locator(".jp-Dialog .dw-Reason-text");
  await field.waitFor({ state: "visible", timeout: MINUTE });
  await field.fill(text);
  await page.locator(".jp-Dialog button.jp-mod-accept").click();
}

test("the Runs, Gates and Models panels show the notebook's runs, compare them, open their cells, approve a request and move an alias", {
  timeout: 15 * MINUTE,
}, async () => {
  await ui.step("01-cells-ran", async () => {
    await page.goto(`${lab.url}/lab/tree/panels.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await ui.waitFor("the dw kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
    await page.evaluate(() => void (globalThis as unknown as PageGlobals).jupyterapp.commands.execute("notebook:run-all-cells"));
    const view = await ui.waitFor("every cell to run", 6 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelStatus === "idle" && v.cells.every((c) => c.count !== null) ? v : null;
    });
    const errors = view.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => `${c.source.split("\n")[0]}: ${String(o.evalue)}`));
    assert.deepEqual(errors, [], "no cell raised an error");
    await page.locator(".jp-SideBar.jp-mod-right [data-id='dw-sidebar']").click();
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
  });

  const runIds = await ui.step("02-runs-listed", async () => {
    const rows = panel("runs").locator(".dw-Run");
    await ui.waitFor("both runs in the Runs panel", MINUTE, async () => (await rows.count()) === 2);
    const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-run") ?? ""));
    const origin = (id: string) => (JSON.parse(git("show", `refs/dw/runs/${id}:run.json`)) as { origin: { cell_id?: string } }).origin.cell_id;
    assert.deepEqual(ids.map(origin), ["train-three", "train-two"], "newest first, each run knowing its cell");
    const first = rows.first();
    assert.equal((await first.locator(".dw-Run-title").innerText()).trim(), "linear_regression → temp_max");
    assert.match(await first.locator(".dw-Run-metric").innerText(), /^r2 [-\d.]+$/);
    assert.match(await first.locator(".dw-Run-data").innerText(), /^seattle-weather · [\d,]+ rows$/);
    assert.match(await first.locator(".dw-GateBadge").innerText(), /^gate(s passed| warning| failed| overridden)$/);
    assert.equal(await first.getAttribute("data-gate"), await first.locator(".dw-GateBadge").evaluate((el) => el.className.replace(/.*dw-mod-/, "")));
    assert.match(await first.locator(".dw-Run-registered").innerText(), /temp v2/);
    assert.equal((await first.locator(".dw-Run-commit").getAttribute("title"))?.match(/[0-9a-f]{40}/)?.[0], git("rev-parse", `refs/dw/runs/${ids[0]}`));
    return { full: ids[0], small: ids[1] };
  });

  await ui.step("03-compare", async () => {
    const runs = panel("runs");
    const compare = runs.locator(".dw-Runs-compare");
    assert.equal(await compare.isDisabled(), true, "Compare waits for two runs");
    await runs.locator(`.dw-Run[data-run='${runIds.small}'] .dw-Run-select`).check();
    assert.equal(await compare.isDisabled(), true);
    await runs.locator(`.dw-Run[data-run='${runIds.full}'] .dw-Run-select`).check();
    // A poll of the state must not untick them.
    await page.waitForTimeout(3500);
    assert.equal(await runs.locator(".dw-Run-select:checked").count(), 2);
    await compare.click();
    const body = runs.locator(".dw-Compare-body");
    await body.waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await body.locator(".dw-Compare-headline").innerText(), /^Best by r2 \(higher is better\): /);
    const r2 = body.locator(".dw-Compare-metrics tr[data-metric='r2'] td");
    assert.equal(await r2.count(), 2);
    assert.equal(await body.locator(".dw-Compare-metrics td.dw-mod-best").first().isVisible(), true);
    const features = body.locator(".dw-Compare-parameters tr[data-parameter]").filter({ hasText: "features" });
    assert.ok((await features.count()) >= 1, "the features differ and are listed");
    assert.match(await features.first().innerText(), /wind/);
    // compare_experiments' code and data diffs for two runs: the code that ran before each training
    // (execution/history.ts). Both ran in one kernel, so the newer history holds the older training
    // cell too and adds the one with wind; the data is the same.
    const diff = body.locator(".dw-Compare-code .dw-Diff");
    await diff.waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await body.locator(".dw-Compare-code").innerText(), /execution\/history\.ts/);
    const added = (await body.locator(".dw-Compare-code .dw-Diff-line.dw-mod-add").allInnerTexts()).join("\n");
    assert.match(added, /--features precipitation,temp_min,wind --algorithm/);
    assert.match(await body.locator(".dw-Compare-data").innerText(), /Same data: seattle-weather, [\d,]+ rows/);
    await lightAndDark("runs", panel("runs"));
  });

  await ui.step("04-open-cell", async () => {
    await page.locator(".jp-NotebookPanel .jp-Cell").first().locator(".jp-InputPrompt").click();
    assert.equal(await activeCell(), 0);
    const open = panel("runs").locator(`.dw-Run[data-run='${runIds.small}'] .dw-Run-openCell`);
    assert.equal(await open.isDisabled(), false, `Open cell is offered: ${await open.getAttribute("title")}`);
    await open.click();
    await ui.waitFor("the cell that trained the run to be active", MINUTE, async () => (await activeCell()) === 1);
  });

  await ui.step("05-approve-request", async () => {
    const gates = panel("gates");
    const request = gates.locator(".dw-Approval[data-approval='temp/2/staging']");
    await request.waitFor({ state: "visible", timeout: MINUTE });
    assert.equal(await request.getAttribute("data-state"), "requested");
    assert.match(await request.innerText(), /adds wind; beats v1 on r2/);
    assert.ok((await gates.locator(".dw-GateReport").count()) >= 1, "the newest gate reports are listed");
    await lightAndDark("gates", gates);
    await request.locator(".dw-Approval-approve").click();
    await answerDialog("ok");
    // Too short: the dialog comes back saying why, with the text kept.
    await page.locator(".jp-Dialog .dw-Reason-problem").waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await page.locator(".jp-Dialog .dw-Reason-problem").innerText(), /at least 10 characters \(2 so far\)/);
    assert.equal(await page.locator(".jp-Dialog .dw-Reason-text").inputValue(), "ok");
    await answerDialog("wind helps on the holdout; reviewed the residuals");
    await ui.waitFor("the request to be approved in the panel", MINUTE, async () => (await request.getAttribute("data-state")) === "approved");
    const review = JSON.parse(git("show", "refs/dw/reviews/temp/2:review.json")) as { decision: string; reason: string; alias?: string };
    assert.deepEqual([review.decision, review.reason, review.alias], ["approve", "wind helps on the holdout; reviewed the residuals", "staging"]);
  });

  await ui.step("06-model-card", async () => {
    const models = panel("models");
    const v2 = models.locator(".dw-Model[data-model='temp'] tr[data-version='2']");
    await v2.locator(".dw-Version-details").click();
    const card = models.locator(".dw-Model[data-model='temp'] tr[data-card='2']");
    await card.locator("dd[data-field='task']").waitFor({ state: "visible", timeout: MINUTE });
    assert.equal(await card.locator("dd[data-field='task']").innerText(), "regression, target temp_max");
    assert.equal(await card.locator("dd[data-field='features']").innerText(), "precipitation, temp_min, wind");
    assert.equal(await card.locator("dd[data-field='run']").innerText(), runIds.full);
    await ui.waitFor("the lineage to be traced", MINUTE, async () =>
      /Trained on the current content of seattle-weather\./.test(await card.locator(".dw-ModelCard-lineage").innerText()),
    );
    assert.match(await card.locator(".dw-ModelCard-lineage").innerText(), /1 other run used the same data; registered as temp v1\./);
    assert.equal(await v2.locator(".dw-Version-details").getAttribute("aria-expanded"), "true");
  });

  await ui.step("07-move-alias", async () => {
    const models = panel("models");
    await models.locator(".dw-Model[data-model='temp'] tr[data-version='2'] .dw-Version-setAlias").click();
    await answerDialog("staging");
    const confirm = page.locator(".jp-Dialog");
    await ui.waitFor("the confirm dialog", MINUTE, async () => /Point the new alias @staging of temp at v2\?/.test(await confirm.innerText()));
    await page.locator(".jp-Dialog button.jp-mod-accept").click();
    const status = models.locator(".dw-Model[data-model='temp'] .dw-Model-move");
    await ui.waitFor("the alias to move", 3 * MINUTE, async () => (await status.getAttribute("class"))?.includes("dw-mod-done") ?? false);
    await ui.waitFor("the alias in the model's title", MINUTE, async () =>
      /@staging → v2/.test(await models.locator(".dw-Model[data-model='temp'] .dw-Model-title").innerText()),
    );
    assert.match(git("log", "-1", "--format=%B", "refs/dw/deployments/temp/staging"), /temp/);
    assert.equal(await models.locator("tr[data-card='2']").isVisible(), true, "the open card stays open across the redraw");
    await lightAndDark("models", panel("models"));
    await lightAndDark("sidebar", sidebar());
  });
});
