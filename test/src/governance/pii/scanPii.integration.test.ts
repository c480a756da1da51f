import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext } from "../../../../src/index.js";
import { ok, err } from "../../../helpers/results.js";
import { makeRandom, luhnCheckDigit } from "./piiFixture.js";

let tw: TempWorkspace;
let ctx: ToolContext;
const ROWS = 300;

/** A customer table as a CSV file: a few kinds of personal data and columns that only look like it. */
function customersCsv(): string {
  const rnd = makeRandom(11);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const d = (n: number) => Array.from({ length: n }, () => int(0, 9)).join("");
  const lines = ["customer_id,email,phone,card_number,ssn,order_no,quantity,signup_date,app_version,notes"];
  for (let i = 0; i < ROWS; i++) {
    const card = `4${d(14)}`;
    lines.push(
      [
        100000 + i,
        `user${i}@example.com`,
        `"(${int(2, 9)}${d(2)}) ${int(2, 9)}${d(2)}-${d(4)}"`,
        card + luhnCheckDigit(card),
        `${String(int(1, 665)).padStart(3, "0")}-${String(int(1, 99)).padStart(2, "0")}-${String(int(1, 9999)).padStart(4, "0")}`,
        `ORD-2024-${String(i + 1).padStart(6, "0")}`,
        int(1_000_000, 9_999_999),
        `2024-${String(int(1, 12)).padStart(2, "0")}-${String(int(1, 28)).padStart(2, "0")}`,
        `${int(1, 3)}.${int(0, 9)}.${int(0, 20)}`,
        i % 3 === 0 ? "" : `call back on ${i % 2 ? "Monday" : "Friday"}`,
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  await writeFile(join(tw.dir, "data", "customers.csv"), customersCsv());
  ok(await runTool("load_dataset", { path: "data/customers.csv", dataset_id: "customers" }, ctx));
});
after(async () => tw.cleanup());

test("scan_pii on a loaded CSV finds the email, phone, card (stored as numbers) and SSN columns, and nothing else", async () => {
  const out = ok(await runTool("scan_pii", { dataset_id: "customers" }, ctx));
  assert.equal(out.dataset_id, "customers");
  assert.equal(out.rows, ROWS);
  const found = out.findings.map((f: { column: string; entity: string }) => `${f.column}:${f.entity}`).sort();
  assert.deepEqual(found, ["card_number:CREDIT_CARD", "email:EMAIL_ADDRESS", "phone:PHONE_NUMBER", "ssn:US_SSN"]);
  for (const f of out.findings) {
    assert.equal(f.evidence, "name+value");
    assert.equal(f.share, 1);
    assert.equal(f.sampled, ROWS);
    assert.equal(f.matched, ROWS);
    assert.ok(f.confidence > 0.9);
  }
  assert.equal(out.summary.columns_scanned, 10);
  assert.equal(out.summary.columns_with_pii, 4);
  assert.equal(out.summary.values_scanned, 10 * ROWS - ROWS / 3, "every non-missing value (notes has a third missing)");
  assert.equal(out.summary.sample_size, 10_000);
  assert.ok(out.summary.elapsed_ms >= 0);

  const html = renderResultHtml("scan_pii", out);
  assert.match(html, /PII scan of <code>customers<\/code>/);
  assert.match(html, /CREDIT_CARD/);
  assert.match(html, /u\*\*\*@e\*\*\*\.com/);
  assert.doesNotMatch(html, /user\d+@example\.com/, "the report shows masked values only");
});

test("scan_pii takes columns and sample_size", async () => {
  const out = ok(await runTool("scan_pii", { dataset_id: "customers", columns: ["email", "order_no"], sample_size: 50 }, ctx));
  assert.deepEqual(
    out.findings.map((f: { column: string }) => f.column),
    ["email"],
  );
  assert.equal(out.findings[0].sampled, 50);
  assert.equal(out.summary.values_scanned, 100);
  assert.equal(out.summary.columns_scanned, 2);
});

test("scan_pii errors: unknown dataset, unknown column, bad sample size", async () => {
  assert.equal(err(await runTool("scan_pii", { dataset_id: "nope" }, ctx)).code, "NOT_FOUND");
  const e = err(await runTool("scan_pii", { dataset_id: "customers", columns: ["e_mail"] }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /e_mail/);
  assert.match(e.hint ?? "", /email/);
  assert.equal(err(await runTool("scan_pii", { dataset_id: "customers", sample_size: 0 }, ctx)).code, "INVALID_INPUT");
  const html = renderResultHtml("scan_pii", ok(await runTool("scan_pii", { dataset_id: "customers", columns: ["quantity"] }, ctx)));
  assert.match(html, /no personal data found/);
});
