import { test, after } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdir, mkdtemp, open, rm, truncate, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogRowCounter } from "../../../../src/monitoring/monitor/createLogRowCounter.js";

const dir = await mkdtemp(join(tmpdir(), "dw-counter-"));
after(() => rm(dir, { recursive: true, force: true }));

const line = (t: number, v: number, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ t, id: `r${t}`, row: 0, v, x: { a: 1 }, y: 2, ms: 1, ...extra })}\n`;

test("counts the rows appended since the last poll, per version, whole lines only, without error lines", async () => {
  const logs = join(dir, "a");
  const counter = createLogRowCounter(logs, 0);
  await counter.poll(); // no folder yet: nothing, no error
  assert.equal(counter.rows(1), 0);
  await mkdir(logs, { recursive: true });
  const f = join(logs, "1-100-1.ndjson");
  await writeFile(f, line(1, 1) + line(2, 1) + line(3, 2) + line(4, 1, { err: "SCORING_FAILED" }));
  await counter.poll();
  assert.deepEqual([counter.rows(1), counter.rows(2)], [2, 1]);
  // A torn tail is not counted until its newline arrives, and then once.
  const torn = line(5, 1);
  await appendFile(f, torn.slice(0, 10));
  await counter.poll();
  assert.equal(counter.rows(1), 2);
  await appendFile(f, torn.slice(10) + line(6, 1));
  await counter.poll();
  assert.equal(counter.rows(1), 4);
  // A second process's file, and a damaged line, which is skipped.
  await writeFile(join(logs, "2-100-1.ndjson"), `${line(7, 1)}not json\n${line(8, 1)}`);
  await writeFile(join(logs, "notes.txt"), line(9, 1));
  await counter.poll();
  assert.equal(counter.rows(1), 6);
  counter.reset();
  assert.equal(counter.rows(1), 0);
  await counter.poll();
  assert.equal(counter.rows(1), 0, "nothing new: nothing counted twice");
  // A file deleted by rotation is forgotten; one truncated and rewritten is read from its start.
  await rm(join(logs, "2-100-1.ndjson"));
  await truncate(f, 0);
  await appendFile(f, line(10, 1));
  await counter.poll();
  assert.equal(counter.rows(1), 1);
});

test("a counter started after a check counts only rows logged after it, and skips older files unread", async () => {
  const logs = join(dir, "b");
  await mkdir(logs, { recursive: true });
  const old = join(logs, "1-1-1.ndjson");
  await writeFile(old, line(1_000, 1) + line(2_000, 1));
  await utimes(old, 2, 2); // last written at t = 2 s: before the check
  const mixed = join(logs, "1-1-2.ndjson");
  await writeFile(mixed, line(2_500, 1) + line(3_500, 1) + line(4_000, 1));
  const counter = createLogRowCounter(logs, 3_000);
  await counter.poll();
  assert.equal(counter.rows(1), 2);
  // Lines appended to the skipped file later are read (from where it was when skipped).
  await appendFile(old, line(5_000, 1));
  await counter.poll();
  assert.equal(counter.rows(1), 3);
});

test("a poll reads only what was appended, in pieces: a large log is read once", async () => {
  const logs = join(dir, "c");
  await mkdir(logs, { recursive: true });
  const f = join(logs, "1-1-1.ndjson");
  const chunk = Array.from({ length: 10_000 }, (_, i) => line(i + 1, 3)).join("");
  for (let i = 0; i < 20; i++) await appendFile(f, chunk); // 200,000 rows, ~20 MB: read in 1 MiB pieces
  const counter = createLogRowCounter(logs, 0);
  await counter.poll();
  assert.equal(counter.rows(3), 200_000);
  // The rows already read are rewritten in place as another version's (same bytes long): a poll
  // that read the file again would count them.
  const h = await open(f, "r+");
  await h.write(chunk.replaceAll('"v":3', '"v":4'), 0);
  await h.close();
  await appendFile(f, line(1, 3));
  await counter.poll();
  assert.equal(counter.rows(3), 200_001);
  assert.equal(counter.rows(4), 0, "the second poll read the appended line only");
});
