import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openBrowserSession, shotsDir as shots, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";

// A real JupyterLab with the dw labextension, the dw kernel and Debian's Chromium: open the
// quickstart, run it, select the training cell, click Productionize, and score the endpoint.

const MINUTE = 60_000;

let session: BrowserSession;
let lab: JupyterLab;
let page: Page;
const consoleLines: string[] = [];

// Its steps' screenshots keep their names without a prefix (01-notebook-open.png), so this test
// keeps its own step() rather than the session's ui.
before(async () => {
  session = await openBrowserSession({ prefix: "dw-browser-", shotsPrefix: "productionize" });
  ({ lab, page } = session);
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
});

after(() => session?.close());

/** Runs one step; on failure saves a screenshot and adds the browser console and server log. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    const value = await fn();
    await page.screenshot({ path: join(shots, `${name}.png`) });
    return value;
  } catch (error) {
    await page.screenshot({ path: join(shots, `${name}.FAILED.png`) }).catch(() => undefined);
    const tail = (s: string, n: number) => s.split("\n").slice(-n).join("\n");
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `step "${name}" failed: ${message}\n` +
        `screenshot: ${join(shots, `${name}.FAILED.png`)}\n` +
        `--- browser console (last 40) ---\n${consoleLines.slice(-40).join("\n")}\n` +
        `--- jupyter lab log (last 60 lines) ---\n${tail(lab.log(), 60)}`,
      { cause: error },
    );
  }
}

/** The little of the page's JupyterLab (exposed by --LabApp.expose_app_in_browser) this test reads. */
interface PageGlobals {
  jupyterapp: {
    commands: { execute(id: string): Promise<unknown> };
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
interface NotebookView {
  kernelName: string | null;
  kernelStatus: string | null;
  cells: Array<{ type: string; source: string; count: number | null; outputs: Array<Record<string, unknown>> }>;
}

function notebookView(): Promise<NotebookView> {
  return page.evaluate(() => {
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
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
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
}

test("Productionize in JupyterLab turns the training cell's run into a live endpoint", { timeout: 15 * MINUTE }, async () => {
  await step("01-notebook-open", async () => {
    await page.goto(`${lab.url}/lab/tree/quickstart.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await waitFor("the TypeScript (dw) kernel to be idle", 4 * MINUTE, async () => {
      const v = await notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
    const kernelLabel = page.locator(".jp-NotebookPanel-toolbar .jp-KernelName");
    assert.match((await kernelLabel.textContent()) ?? "", /TypeScript \(dw\)/);
  });

  await step("02-sidebar-connected", async () => {
    await page.locator(".jp-SideBar.jp-mod-right [data-id='dw-sidebar']").click();
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
    assert.match(await page.locator(".dw-Sidebar").innerText(), /No registered model yet/);
  });

  await step("03-cells-ran", async () => {
    await page.evaluate(() => {
      void (globalThis as unknown as PageGlobals).jupyterapp.commands.execute("notebook:run-all-cells");
    });
    const view = await waitFor("every code cell to run", 8 * MINUTE, async () => {
      const v = await notebookView();
      const code = v.cells.filter((c) => c.type === "code");
      return v.kernelStatus === "idle" && code.length > 0 && code.every((c) => c.count !== null) ? v : null;
    });
    const errors = view.cells.flatMap((c) =>
      c.outputs.filter((o) => o.output_type === "error").map((o) => `${c.source.split("\n")[0]}: ${String(o.ename)}: ${String(o.evalue)}`),
    );
    assert.deepEqual(errors, [], "no cell raised an error");
    await page.waitForSelector(".dw-Model", { timeout: MINUTE });
  });

  const trainIndex = await step("04-training-cell-selected", async () => {
    const view = await notebookView();
    const index = view.cells.findIndex((c) => c.type === "code" && /%dw train_model/.test(c.source));
    assert.ok(index >= 0, "the quickstart has a %dw train_model cell");
    const prompt = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index).locator(".jp-InputPrompt");
    await prompt.scrollIntoViewIfNeeded();
    await prompt.click();
    const active = await page.evaluate(() => (globalThis as unknown as PageGlobals).jupyterapp.shell.currentWidget?.content?.activeCellIndex ?? -1);
    assert.equal(active, index);
    return index;
  });
  assert.ok(trainIndex >= 0);

  const result = await step("05-productionize-dialog", async () => {
    // Declared in schema/labextension/productionize.json; JupyterLab renders it as a <jp-button>.
    const item = page.locator(".jp-NotebookPanel-toolbar [data-jp-item-name='dw-productionize']");
    assert.equal((await item.innerText()).trim(), "Productionize");
    await item.locator("jp-button").click();
    const outcome = page.locator(".jp-Dialog .dw-ProductionizeResult, .jp-Dialog .dw-ProductionizeError, .jp-Dialog .dw-ProductionizeBlocked");
    await outcome.first().waitFor({ state: "visible", timeout: 4 * MINUTE });
    const failure = page.locator(".jp-Dialog .dw-ProductionizeError, .jp-Dialog .dw-ProductionizeBlocked");
    if (await failure.count()) assert.fail(`Productionize failed: ${await failure.innerText()}`);
    // Every step ran, each with its time, in order.
    const steps = page.locator(".jp-Dialog .dw-ProductionizeSteps-step");
    const rows: string[] = [];
    for (let i = 0; i < (await steps.count()); i++)
      rows.push(`${await steps.nth(i).getAttribute("data-step")} ${await steps.nth(i).getAttribute("data-status")}`);
    assert.deepEqual(
      rows.map((r) => r.replace(/ warned$/, " passed")),
      // The quickstart's register_model cell registered this run already: that version is reused.
      ["snapshot", "quality", "cost", "register", "governance", "deploy", "monitoring"].map((n) => `${n} ${n === "register" ? "skipped" : "passed"}`),
    );
    assert.match(await page.locator(".jp-Dialog .dw-ProductionizeSteps-step[data-step='deploy'] .dw-ProductionizeSteps-time").innerText(), /^\d+\.\d+ s$|min/);
    const body = page.locator(".jp-Dialog .dw-ProductionizeResult");
    const url = (await body.locator(".dw-ProductionizeResult-url").innerText()).trim();
    const curl = (await body.locator(".dw-ProductionizeResult-curl").innerText()).trim();
    const model = (await body.getAttribute("data-model")) ?? "";
    const alias = (await body.getAttribute("data-alias")) ?? "";
    const version = Number(await body.getAttribute("data-version"));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/.*invocations$/);
    assert.match(curl, /^curl /);
    assert.ok(curl.includes(url), `the curl line calls the endpoint: ${curl}`);
    assert.equal(alias, "production");
    assert.ok(model.length > 0 && Number.isInteger(version) && version >= 1);
    assert.match(await body.locator(".dw-ProductionizeResult-title").innerText(), new RegExp(`${model}@${alias} is live`));
    assert.match(await body.locator(".dw-ProductionizeResult-monitoring").innerText(), /Drift monitoring started/);
    return { url, curl, model, alias, version };
  });

  await step("06-sidebar-shows-endpoint", async () => {
    await page.locator(".jp-Dialog button.jp-mod-accept").click();
    await page.locator(".jp-Dialog").waitFor({ state: "detached", timeout: MINUTE });
    const endpoint = page.locator(`.dw-Sidebar .dw-Endpoint[data-endpoint='${result.model}@${result.alias}']`);
    await endpoint.waitFor({ state: "visible", timeout: MINUTE });
    const endpointText = await endpoint.innerText();
    assert.match(endpointText, new RegExp(`v${result.version}`));
    assert.match(endpointText, /\blive\b/);
    assert.equal((await endpoint.locator(".dw-Endpoint-url").innerText()).trim(), result.url);
    assert.match(await endpoint.locator(".dw-Endpoint-curl").innerText(), /^curl /);
    const model = page.locator(`.dw-Sidebar .dw-Model[data-model='${result.model}']`);
    const row = model.locator(`tr[data-version='${result.version}']`);
    await row.waitFor({ state: "visible", timeout: MINUTE });
    const rowText = await row.innerText();
    assert.match(rowText, /@production/);
    assert.match(rowText, /r2 /);
  });

  const res = await fetch(result.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[0.0, 5.0, 4.7]] } }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const body = JSON.parse(text) as { predictions: unknown[] };
  assert.deepEqual(Object.keys(body), ["predictions"]);
  assert.equal(body.predictions.length, 1);
  assert.equal(typeof body.predictions[0], "number");
  assert.ok(Number.isFinite(body.predictions[0] as number), text);

  await step("07-sidebar-shows-traffic", async () => {
    // The open sidebar asks for the state every few seconds: the request just sent shows up unasked.
    const traffic = page.locator(`.dw-Sidebar .dw-Endpoint[data-endpoint='${result.model}@${result.alias}'] .dw-Endpoint-traffic`);
    await waitFor("the endpoint's traffic in the sidebar", MINUTE, async () =>
      /^1 request · 0 errors · p50 [\d.]+ ms · p99 [\d.]+ ms$/.test(await traffic.innerText()),
    );
    assert.match((await traffic.getAttribute("title")) ?? "", /1 request \(0 answered 4xx, 0 answered 5xx\), 1 row scored/);
  });
});
