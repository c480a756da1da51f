import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { dwNotebook, openBrowserSession, shotsDir, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage, PageGlobals } from "../helpers/labPage.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";

// The sidebar's Next steps and Endpoints panels in a real JupyterLab with the dw labextension, the
// dw kernel and Chromium. Before anything is trained, Next steps says what to run first. The
// notebook's cells then deploy a weak model (temp_max from wind alone) at temp@production and
// train a better run (three features) that nobody registered: suggest_next_steps proposes to ship
// it, with the numbers; its button opens the Productionize dialog, which registers and deploys it
// as v2. The endpoint's Try it builds its form from v2's inputs with the example row, keeps a typed
// value while the sidebar polls, and shows the same prediction the running dw serve gives for
// that row over HTTP.

const MINUTE = 60_000;

const NOTEBOOK = dwNotebook([
  ["load", "%dw load_dataset data/seattle-weather.csv --as weather"],
  ["weak", "%dw train_model --data weather --target temp_max --features wind --algorithm linear_regression --as weak"],
  ["register", "%dw register_model --run_id weak.run_id --name temp"],
  ["deploy", "%dw deploy_model --name temp --alias production"],
  ["strong", "%dw train_model --data weather --target temp_max --features precipitation,temp_min,wind --algorithm linear_regression --as strong"],
]);

let session: BrowserSession;
let tw: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;
let execute: BrowserSession["execute"];

before(async () => {
  session = await openBrowserSession({
    prefix: "dw-browser-nextsteps-",
    shotsPrefix: "nextsteps",
    files: { "ship.ipynb": NOTEBOOK },
    viewport: { width: 1440, height: 1000 },
  });
  ({ tw, lab, page, ui, execute } = session);
});

after(() => session?.close());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" }).trim();

/** The sidebar alone, scrolled to `panel`, in the light and the dark theme, for the README. */
async function themedShots(name: string, panel: Locator): Promise<void> {
  await panel.scrollIntoViewIfNeeded();
  await session.lightAndDark(name, page.locator(".dw-Sidebar"));
}

/** What the workspace's running dw serve answers for one row, over HTTP with the workspace's token. */
async function served(url: string, row: Record<string, number>): Promise<number> {
  const server = JSON.parse(await readFile(join(tw.dir, ".dw", "server.json"), "utf8")) as { auth?: string };
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (server.auth === "bearer") headers.Authorization = `Bearer ${(await readFile(join(tw.dir, ".dw", "serve-token"), "utf8")).trim()}`;
  const columns = Object.keys(row);
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ dataframe_split: { columns, data: [columns.map((c) => row[c])] } }) });
  const body = await res.text();
  assert.equal(res.status, 200, body);
  return (JSON.parse(body) as { predictions: number[] }).predictions[0];
}

/** The reason dialog a review step opens: it shows the suggested words, which the user accepts. */
async function confirmReason(): Promise<void> {
  const text = page.locator(".jp-Dialog .dw-Reason-text");
  await text.waitFor({ state: "visible", timeout: MINUTE });
  assert.ok((await text.inputValue()).trim().length >= 10, "the suggested reason is filled in");
  await page.locator(".jp-Dialog button.jp-mod-accept").click();
  await page.locator(".jp-Dialog").waitFor({ state: "detached", timeout: MINUTE });
}

test("Next steps proposes shipping the better run and its button ships it; the endpoint's Try it scores a typed row as dw serve does", {
  timeout: 20 * MINUTE,
}, async () => {
  const nextSteps = page.locator(".dw-Sidebar .dw-Panel-next-steps");
  const endpoint = page.locator(".dw-Sidebar .dw-Endpoint[data-endpoint='temp@production']");

  await ui.step("01-nothing-trained", async () => {
    await page.goto(`${lab.url}/lab/tree/ship.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await ui.waitFor("the TypeScript (dw) kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
    await execute("dw:open-sidebar");
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
    const empty = nextSteps.locator(".dw-NextSteps-empty");
    await empty.waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await empty.innerText(), /Nothing trained yet\./);
    assert.match(await empty.locator(".dw-NextSteps-code").innerText(), /^%dw load_dataset .*\n%dw train_model --data /);
    assert.equal(await nextSteps.locator(".dw-NextStep").count(), 0);
  });

  const step = nextSteps.locator(".dw-NextStep[data-rule='deploy_better_run']");
  await ui.step("02-better-run-proposed", async () => {
    await execute("notebook:run-all-cells");
    const view = await ui.waitFor("every cell to run", 6 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelStatus === "idle" && v.cells.every((c) => c.count !== null) ? v : null;
    });
    const errors = view.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => `${String(o.ename)}: ${String(o.evalue)}`));
    assert.deepEqual(errors, [], "no cell raised an error");
    await step.waitFor({ state: "visible", timeout: MINUTE });
    const strongRun = await page.evaluate(() => {
      const panel = (globalThis as unknown as PageGlobals).jupyterapp.shell.currentWidget;
      const outputs = panel?.content?.widgets[4].model.toJSON().outputs ?? [];
      return JSON.stringify(outputs).match(/\d{8}-\d{6}-[0-9a-f]{6}/)?.[0] ?? "";
    });
    assert.ok(strongRun, "the last cell made a run");
    assert.equal(await step.getAttribute("data-step"), `deploy_better_run:${strongRun}`);
    assert.ok((await step.locator(".dw-NextStep-title").innerText()).trim().length > 0);
    assert.match(await step.locator(".dw-NextStep-reason").innerText(), new RegExp(strongRun));
    assert.match(await step.locator(".dw-NextStep-subject").innerText(), new RegExp(`model temp.*run ${strongRun}`));
    assert.equal(await step.locator(".dw-NextStep-button").isEnabled(), true);
    await themedShots("next-steps", nextSteps);
  });

  await ui.step("03-shipped-through-the-dialog", async () => {
    await step.locator(".dw-NextStep-button").click();
    // The Productionize dialog shows the steps; the endpoint moves to v2 when it is done.
    await page.locator(".jp-Dialog").waitFor({ state: "visible", timeout: MINUTE });
    await ui.waitFor("temp@production to serve v2", 4 * MINUTE, async () => (await endpoint.locator(".dw-Endpoint-version").innerText()).trim() === "v2");
    await page.screenshot({ path: join(shotsDir, "nextsteps-03-dialog.png") });
    await page.keyboard.press("Escape");
    await page.locator(".jp-Dialog").waitFor({ state: "detached", timeout: MINUTE });
    const outcome = nextSteps.locator(".dw-NextSteps-outcome[data-outcome='done']");
    await outcome.waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await outcome.innerText(), /^Productionize dialog closed: Deploy run .* as temp\nProductionize of run \S+ ran in its dialog/);
    await ui.waitFor("the shipped step to go", MINUTE, async () => (await step.count()) === 0);
  });

  await ui.step("04-try-it", async () => {
    await endpoint.locator(".dw-TryIt-summary").click();
    const inputs = endpoint.locator(".dw-TryIt-input");
    await ui.waitFor("the form's three fields", MINUTE, async () => (await inputs.count()) === 3);
    assert.equal(await endpoint.locator(".dw-TryIt").getAttribute("data-version"), "2");
    const labels = await endpoint.locator(".dw-TryIt-label").allInnerTexts();
    assert.deepEqual(labels, ["precipitation", "temp_min", "wind"]);
    const example = await inputs.evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    assert.ok(
      example.every((v) => v !== "" && Number.isFinite(Number(v))),
      `the example row prefills every field: ${example}`,
    );
    // Typed, then the sidebar polls (every 3 s) and redraws: the value and the focus stay.
    const wind = endpoint.locator(".dw-TryIt-input[name='wind']");
    await wind.fill("9.5");
    await page.waitForTimeout(4_000);
    assert.equal(await wind.inputValue(), "9.5");
    assert.equal(await wind.evaluate((e) => (e as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === e), true);
    await wind.press("Enter");
    const result = endpoint.locator(".dw-TryIt-result[data-state='done']");
    await result.waitFor({ state: "visible", timeout: MINUTE });
    assert.equal((await result.locator(".dw-TryIt-target").innerText()).trim(), "temp_max (predicted)");
    assert.match(await result.locator(".dw-TryIt-detail").innerText(), /temp v2 · regression/);
    const shown = Number(await result.locator(".dw-TryIt-value").getAttribute("title"));
    assert.match(await endpoint.locator(".dw-Endpoint-traffic").innerText(), /no requests yet/, "Try it is not the endpoint's traffic");
    // The same row over HTTP, while the Retrain button has the focus: the new traffic redraws its line, not the button.
    const retrain = endpoint.locator(".dw-RetrainButton");
    await retrain.focus();
    const url = (await endpoint.locator(".dw-Endpoint-url").innerText()).trim();
    const expected = await served(url, { precipitation: Number(example[0]), temp_min: Number(example[1]), wind: 9.5 });
    assert.equal(shown, expected, "the prediction dw serve gives for the same row");
    await ui.waitFor("the request in the traffic line", MINUTE, async () =>
      /^1 request · 0 errors/.test(await endpoint.locator(".dw-Endpoint-traffic").innerText()),
    );
    assert.equal(await retrain.evaluate((e) => (e as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === e), true);
    await themedShots("endpoints", endpoint);
  });

  await ui.step("05-approval-through-tool-steps", async () => {
    // Staging now needs an approved review: the newest version has none, so the agent proposes to ask.
    await writeFile(join(tw.dir, "dw.policy.yaml"), "governance:\n  deployment:\n    approval_required_aliases: [staging]\n");
    await execute("dw:refresh");
    const ask = nextSteps.locator(".dw-NextStep[data-step='request_approval:temp/2:staging']");
    await ask.waitFor({ state: "visible", timeout: MINUTE });
    assert.equal((await ask.locator(".dw-NextStep-button").innerText()).trim(), "Request approval");
    await ask.locator(".dw-NextStep-button").click();
    await confirmReason();
    const outcome = nextSteps.locator(".dw-NextSteps-outcome[data-outcome='done']");
    await ui.waitFor("the request's outcome", MINUTE, async () => /Done: Request approval of temp v2/.test(await outcome.innerText()));
    const requested = /recorded commit ([0-9a-f]{12}) on refs\/dw\/reviews\/temp\/2/.exec(await outcome.innerText());
    assert.ok(requested, await outcome.innerText());
    // The pending request becomes the reviewer's step; Approve records the review.
    const decide = nextSteps.locator(".dw-NextStep[data-rule='decide_approval']");
    await decide.waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await decide.locator(".dw-NextStep-reason").innerText(), /asked for an approval of temp v2 → staging/);
    await decide.locator(".dw-NextStep-button").click();
    await confirmReason();
    await ui.waitFor("the approval's outcome", MINUTE, async () => /Done: Decide on temp v2/.test(await outcome.innerText()));
    await ui.waitFor("both approval steps to go", MINUTE, async () => (await nextSteps.locator(".dw-NextStep[data-rule$='approval']").count()) === 0);
    const chain = git("log", "--format=%H", "refs/dw/reviews/temp/2").split("\n");
    assert.match(git("show", "refs/dw/reviews/temp/2:review.json"), /"reason": "Approved on .*'s request: /);
    assert.equal(chain.length, 2, "the request and the approval, on the version's review chain");
    assert.ok(chain[1].startsWith(requested[1]), "the request commit the step reported");
  });
});
