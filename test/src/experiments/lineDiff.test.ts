import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LINE_DIFF_LIMITS, lineDiff } from "../../../src/experiments/lineDiff.js";

const names = { from: "a/cell.ts", to: "b/cell.ts" };

/** GNU diff -u's hunks for the same two texts (its header lines carry file times, so they are left out). */
function gnuDiff(from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dw-linediff-"));
  try {
    writeFileSync(join(dir, "a"), from);
    writeFileSync(join(dir, "b"), to);
    const r = spawnSync("diff", ["-u", join(dir, "a"), join(dir, "b")], { encoding: "utf8" });
    return r.stdout.split("\n").slice(2).join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies a unified diff made by lineDiff to `from`, checking each context and removed line against it. */
function applyDiff(from: string, diff: string): string {
  const src = from.split("\n");
  if (src[src.length - 1] === "") src.pop();
  const out: string[] = [];
  let at = 0;
  const lines = diff.split("\n").slice(2);
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const h = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (h) {
      const start = Number(h[2]) === 0 ? Number(h[1]) : Number(h[1]) - 1;
      assert.ok(start >= at, "hunks in order");
      out.push(...src.slice(at, start));
      at = start;
    } else if (line.startsWith("+")) out.push(line.slice(1));
    else {
      assert.equal(src[at], line.slice(1), `the diff's ${line[0] === "-" ? "removed" : "context"} line is the old text's`);
      if (line.startsWith(" ")) out.push(src[at]);
      at++;
    }
  }
  out.push(...src.slice(at));
  return out.map((l) => `${l}\n`).join("");
}

/** The fewest lines added plus removed between two line lists (the LCS table), to check minimality. */
function minimalEdits(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  return a.length + b.length - 2 * t[0][0];
}

const cell1 = [
  'const data = await dw.loadDataset({ path: "data/seattle-weather.csv" });',
  "// temperatures only",
  "%dw train_model --data seattle-weather --target temp_max --features temp_min",
  "console.log(run.metrics)",
  "",
].join("\n");
const cell2 = [
  'const data = await dw.loadDataset({ path: "data/seattle-weather.csv" });',
  "// temperatures and wind",
  "%dw train_model --data seattle-weather --target temp_max --features temp_min,wind --algorithm random_forest",
  "console.log(run.metrics)",
  "",
].join("\n");

test("a changed training cell gives the hunks GNU diff -u gives", () => {
  const d = lineDiff(cell1, cell2, names);
  assert.equal(d.status, "different");
  if (d.status !== "different") return;
  assert.equal(d.added, 2);
  assert.equal(d.removed, 2);
  assert.ok(d.diff.startsWith("--- a/cell.ts\n+++ b/cell.ts\n@@ -1,4 +1,4 @@\n"), d.diff);
  assert.equal(d.diff.split("\n").slice(2).join("\n"), gnuDiff(cell1, cell2));
  // Far-apart changes are separate hunks, as diff -u makes them; additions at the start and end too.
  const long = Array.from({ length: 40 }, (_, i) => `line ${i}`);
  const edited = ["first", ...long.slice(0, 5), "inserted", ...long.slice(5, 30), ...long.slice(31), "last"];
  const text = (ls: string[]) => ls.map((l) => `${l}\n`).join("");
  const far = lineDiff(text(long), text(edited), names);
  assert.equal(far.status, "different");
  if (far.status === "different") {
    assert.equal(far.diff.split("\n").slice(2).join("\n"), gnuDiff(text(long), text(edited)));
    assert.equal((far.diff.match(/^@@/gm) ?? []).length, 3);
  }
  // From and to an empty cell.
  for (const [a, b] of [
    ["", "x\ny\n"],
    ["x\ny\n", ""],
  ]) {
    const e = lineDiff(a, b, names);
    assert.equal(e.status, "different");
    if (e.status === "different") assert.equal(e.diff.split("\n").slice(2).join("\n"), gnuDiff(a, b));
  }
});

test("the same text (also with Windows line ends) is 'same'", () => {
  assert.deepEqual(lineDiff(cell1, cell1, names), { status: "same", added: 0, removed: 0, diff: "" });
  assert.equal(lineDiff(cell1, cell1.replaceAll("\n", "\r\n"), names).status, "same");
  assert.equal(lineDiff("", "", names).status, "same");
});

test("on random texts the diff is minimal and applying it to the old text gives the new one", () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 300; round++) {
    const a = Array.from({ length: rand(30) }, () => "abcde"[rand(5)]);
    const b = a.flatMap((l) => (rand(4) === 0 ? [] : rand(5) === 0 ? [l, "xyz"[rand(3)]] : [l]));
    if (rand(3) === 0) b.unshift("q");
    const from = a.map((l) => `${l}\n`).join("");
    const to = b.map((l) => `${l}\n`).join("");
    const d = lineDiff(from, to, names);
    if (d.status === "same") {
      assert.equal(from, to);
      continue;
    }
    assert.equal(d.status, "different");
    if (d.status !== "different") continue;
    assert.equal(applyDiff(from, d.diff), to, `round ${round}:\n${d.diff}`);
    assert.equal(d.added + d.removed, minimalEdits(a, b), `round ${round}: not a shortest edit`);
  }
});

test("past its limits it says so instead of searching on", () => {
  const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}\n`).join("");
  const tooLong = lineDiff(many(LINE_DIFF_LIMITS.maxLines + 1, "a"), many(3, "b"), names);
  assert.equal(tooLong.status, "too_large");
  if (tooLong.status === "too_large") assert.match(tooLong.reason, /5001 and 3 lines; the diff is shown up to 5000 lines a side/);
  // Every line different: more edits than the search goes to.
  const tooDifferent = lineDiff(many(600, "a"), many(600, "b"), names);
  assert.equal(tooDifferent.status, "too_large");
  if (tooDifferent.status === "too_large") assert.match(tooDifferent.reason, /more than 1000 lines/);
  // Long texts with few changes are diffed: the common start and end are set aside first.
  const base = many(20_000, "l");
  const d = lineDiff(base, base.replace("l10000\n", "changed\n"), names);
  assert.equal(d.status, "different");
  if (d.status === "different") assert.match(d.diff, /@@ -9998,7 \+9998,7 @@\n l9997\n l9998\n l9999\n-l10000\n\+changed\n/);
});
