import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { Locator, Page } from "playwright-core";
import { dwNotebook, openBrowserSession, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage, PageGlobals } from "../helpers/labPage.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";

// A real JupyterLab, the dw kernel and Debian's Chromium: a model trained with an e-mail column as
// a feature (the training went past its gates on an override) is productionized from the cell's
// context menu; the dialog shows each step and stops at the governance gate with the PII reason;
// an approval is requested, then "Override and productionize" with a typed reason ships it, and
// the deployment commit records that reason. Accel Alt P productionizes the cell again.

const MINUTE = 60_000;
const TRAINING_OVERRIDE = "demo: the e-mail column is used on purpose here";
const DEPLOY_OVERRIDE = "the e-mail column is hashed upstream before scoring";

let session: BrowserSession;
let tw: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;

/** Customers with a unique e-mail address each; spend grows with tenure. */
function customersCsv(): string {
  const rows = ["email,age,tenure_months,monthly_spend"];
  for (let i = 0; i < 200; i++) {
    const tenure = (i * 13) % 72;
    rows.push(`customer${i}@example${i % 4}.com,${20 + ((i * 7) % 50)},${tenure},${(25 + tenure * 0.8 + ((i * 17) % 11)).toFixed(2)}`);
  }
  return `${rows.join("\n")}\n`;
}

before(async () => {
  session = await openBrowserSession({
    prefix: "dw-browser-override-",
    shotsPrefix: "override",
    files: {
      "data/customers.csv": customersCsv(),
      "pii.ipynb": dwNotebook([
        ["load", "%dw load_dataset data/customers.csv --as customers"],
        [
          "train",
          `%dw train_model --data customers --target monthly_spend --features email,age,tenure_months --override_reason "${TRAINING_OVERRIDE}" --as run`,
        ],
      ]),
    },
  });
  ({ tw, lab, page, ui } = session);
});

after(() => session?.close());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });

/** Each step row of the dialog as `name status`. */
async function stepRows(dialog: Locator): Promise<string[]> {
  const steps = dialog.locator(".dw-ProductionizeSteps-step");
  const rows: string[] = [];
  for (let i = 0; i < (await steps.count()); i++)
    rows.push(`${await steps.nth(i).getAttribute("data-step")} ${await steps.nth(i).getAttribute("data-status")}`);
  return rows;
}

/** The dialog in the light and the dark theme, for the README. */
const shootBothThemes = (dialog: Locator, name: string) => session.lightAndDark(name, dialog.locator(".jp-Dialog-content"));

test("Productionize stops at the governance gate for a PII feature, and an override with a reason ships it, recorded", { timeout: 15 * MINUTE }, async () => {
  const trainIndex = await ui.step("01-trained-with-pii", async () => {
    await page.goto(`${lab.url}/lab/tree/pii.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await ui.waitFor("the TypeScript (dw) kernel to be idle", 4 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelName === "dw" && v.kernelStatus === "idle";
    });
    await page.evaluate(() => {
      void (globalThis as unknown as PageGlobals).jupyterapp.commands.execute("notebook:run-all-cells");
    });
    const view = await ui.waitFor("both cells to run", 6 * MINUTE, async () => {
      const v = await ui.notebookView();
      return v.kernelStatus === "idle" && v.cells.every((c) => c.count !== null) ? v : null;
    });
    const errors = view.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => `${String(o.ename)}: ${String(o.evalue)}`));
    assert.deepEqual(errors, [], "no cell raised an error");
    return 1;
  });

  const dialog = page.locator(".jp-Dialog.dw-ProductionizeDialog");
  await ui.step("02-blocked-at-governance", async () => {
    // "Productionize this cell" from the training cell's context menu.
    const cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(trainIndex);
    await cell.locator(".jp-InputPrompt").click();
    await cell.locator(".jp-InputPrompt").click({ button: "right" });
    const item = page.locator(".lm-Menu-item", { hasText: "Productionize this cell" });
    await item.waitFor({ state: "visible", timeout: MINUTE });
    await item.click();
    const blocked = dialog.locator(".dw-ProductionizeBlocked");
    await blocked.waitFor({ state: "visible", timeout: 4 * MINUTE });
    assert.equal(await blocked.getAttribute("data-gates"), "governance");
    assert.equal(await blocked.getAttribute("data-model"), "monthly_spend");
    assert.equal(await blocked.getAttribute("data-alias"), "production");
    const reasons = await blocked.locator(".dw-ProductionizeBlocked-reason").allInnerTexts();
    const pii = reasons.find((r) => /pii_feature/.test(r));
    assert.ok(pii, `a PII reason among ${JSON.stringify(reasons)}`);
    assert.match(pii, /forbidden PII features 'email'/);
    const rows = await stepRows(dialog);
    assert.deepEqual(
      rows.filter((r) => !r.startsWith("quality ")),
      ["snapshot passed", "cost passed", "register passed", "governance failed", "deploy not-reached", "monitoring not-reached"],
    );
    // The unique e-mail values fail the quality gate's ID check; the training's override let them through.
    assert.ok(["quality overridden", "quality passed", "quality warned"].includes(rows[1]), rows[1]);
    assert.match(await dialog.locator(".dw-ProductionizeSteps-step[data-step='governance'] .dw-ProductionizeSteps-detail").innerText(), /PII/);
    // Nothing was deployed.
    assert.equal(git("for-each-ref", "refs/dw/deployments/monthly_spend").trim(), "");
    await shootBothThemes(dialog, "productionize-blocked");
  });

  await ui.step("03-approval-requested", async () => {
    const reason = dialog.locator(".dw-ProductionizeBlocked-input");
    const override = dialog.locator(".dw-ProductionizeBlocked-override");
    const request = dialog.locator(".dw-ProductionizeBlocked-request");
    // The label names the field; the buttons wait for 10 characters.
    assert.equal(await dialog.locator(`label[for='${await reason.getAttribute("id")}']`).innerText(), "Reason");
    await reason.fill("hashed");
    assert.equal(await override.isDisabled(), true);
    assert.equal(await request.isDisabled(), true);
    assert.match(await dialog.locator(".dw-ProductionizeBlocked-count").innerText(), /4 more characters needed/);
    await reason.fill(DEPLOY_OVERRIDE);
    assert.equal(await override.isEnabled(), true);
    await request.click();
    const answer = dialog.locator(".dw-ProductionizeBlocked-answer[data-state='requested']");
    await answer.waitFor({ state: "visible", timeout: MINUTE });
    assert.match(await answer.innerText(), /Approval of monthly_spend v1 for production requested by/);
    assert.match(await answer.locator(".dw-ProductionizeBlocked-decide").innerText(), /request_governance_review/);
    // The request decides nothing: the version is still not deployed.
    assert.equal(git("for-each-ref", "refs/dw/deployments/monthly_spend").trim(), "");
  });

  await ui.step("04-overridden-and-live", async () => {
    await dialog.locator(".dw-ProductionizeBlocked-override").click();
    const live = dialog.locator(".dw-ProductionizeResult");
    await live.waitFor({ state: "visible", timeout: 4 * MINUTE });
    const rows = await stepRows(dialog);
    assert.deepEqual(
      rows.filter((r) => !r.startsWith("quality ")),
      ["snapshot passed", "cost passed", "register skipped", "governance overridden", "deploy passed", "monitoring passed"],
    );
    assert.match(
      await dialog.locator(".dw-ProductionizeSteps-step[data-step='governance'] .dw-ProductionizeSteps-detail").innerText(),
      new RegExp(DEPLOY_OVERRIDE),
    );
    assert.match(await live.locator(".dw-ProductionizeResult-title").innerText(), /monthly_spend@production is live/);
    assert.match(await live.locator(".dw-ProductionizeResult-curl").innerText(), /^curl /);
    assert.match(await live.locator(".dw-ProductionizeResult-monitoring").innerText(), /Drift monitoring started/);
    // The deployment commit records the reason, with who gave it.
    const override = JSON.parse(git("show", "refs/dw/deployments/monthly_spend/production:gates/override.json")) as {
      reason: string;
      gates: string[];
      by: string;
    };
    assert.equal(override.reason, DEPLOY_OVERRIDE);
    assert.deepEqual(override.gates, ["governance"]);
    assert.match(git("log", "-1", "--format=%B", "refs/dw/deployments/monthly_spend/production"), new RegExp(`Dw-Override: .+: ${DEPLOY_OVERRIDE}`));
    await shootBothThemes(dialog, "productionize");
    await dialog.locator("button.jp-mod-accept").click();
    await dialog.waitFor({ state: "detached", timeout: MINUTE });
  });

  await ui.step("05-shortcut", async () => {
    // Accel Alt P in the notebook productionizes the selected cell again: its version is reused, and
    // the gate blocks again, since an override counts once and the approval is still only requested.
    await page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(trainIndex).locator(".jp-InputPrompt").click();
    await page.keyboard.press("Control+Alt+KeyP");
    await dialog.waitFor({ state: "visible", timeout: MINUTE });
    await dialog.locator(".dw-ProductionizeBlocked").waitFor({ state: "visible", timeout: 4 * MINUTE });
    const rows = await stepRows(dialog);
    assert.ok(rows.includes("register skipped") && rows.includes("governance failed"), rows.join(", "));
    await dialog.locator("button.jp-mod-accept").click();
  });
});
