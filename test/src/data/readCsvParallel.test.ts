import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCsvFile } from "../../../src/data/readCsv.js";
import { CsvTable } from "../../../src/data/csvColumns.js";
import { CsvScanner } from "../../../src/data/csvScanner.js";
import { CsvRecordCounter } from "../../../src/data/CsvRecordCounter.js";
import type { Dataset } from "../../../src/data/Dataset.js";
import { DwError } from "../../../src/errors/DwError.js";
import { CsvWorkerPool } from "../../../src/data/CsvWorkerPool.js";

/** Every column's name, type, nulls, numeric share, first non-number, and its values to the bit (NaN, -0). */
function fingerprint(ds: Dataset): string {
  return JSON.stringify(ds, (_k, v) => (v instanceof Float64Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : v));
}

const inParts = (ds: Dataset) => ds.columns.some((c) => c.type === "number" && c.values.buffer instanceof SharedArrayBuffer);

async function withFile(text: string, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "dw-csvpar-"));
  try {
    await writeFile(join(dir, "t.csv"), text);
    await fn(join(dir, "t.csv"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const serial = (file: string) => readCsvFile(file, "t.csv", undefined, { workers: 1 });
const parallel = (file: string, workers = 3) => readCsvFile(file, "t.csv", undefined, { workers, minBytes: 0 });

/** 3,000 rows: numbers with nulls, a column that turns to text in the last third, booleans, dates, text, CRLF line ends and empty lines. */
function mixed(): string {
  const lines = ["id,x,late,ok,day,name"];
  for (let i = 0; i < 3000; i++) {
    const late = i === 2500 ? "n/a" : i % 7 === 0 ? "" : String(i / 4);
    const name = i % 5 === 0 ? "NA" : `name ${i % 13}`;
    lines.push(
      `${i},${i % 11 === 0 ? "" : (i * 0.37 - 200).toFixed(3)},${late},${i % 3 === 0 ? "TRUE" : "false"},2024-01-${String((i % 28) + 1).padStart(2, "0")},${name}`,
    );
    if (i % 400 === 17) lines.push("");
  }
  return `${lines.join("\r\n")}\r\n`;
}

test("a file read in parts gives exactly the serial reader's columns: types, nulls, numbers to the bit, text, and the line of a late non-number", async () => {
  await withFile(mixed(), async (file) => {
    const one = await serial(file);
    for (const workers of [2, 3, 5]) {
      const many = await parallel(file, workers);
      assert.ok(inParts(many.ds), `${workers} parts were read on workers`);
      assert.equal(fingerprint(many.ds), fingerprint(one.ds));
      assert.equal(many.delimiter, one.delimiter);
      assert.equal(many.encoding, "utf-8");
    }
    const late = one.ds.columns.find((c) => c.name === "late");
    assert.ok(late && late.type === "string");
    // Header on line 1, row i on line i + 2 plus the empty lines before it (after rows 17, 417, …, 2417: seven).
    assert.deepEqual(late.firstNonNumeric, { value: "n/a", line: 2500 + 2 + 7 });
    assert.deepEqual(
      one.ds.columns.map((c) => c.type),
      ["number", "number", "string", "boolean", "date", "string"],
    );
  });
});

test("threads started before the file is ready (as load_dataset starts them while it copies) read it in parts, the same columns; they are the caller's to close", async () => {
  await withFile(mixed(), async (file) => {
    const one = await serial(file);
    const pool = new CsvWorkerPool(2);
    try {
      for (let read = 0; read < 2; read++) {
        const many = await readCsvFile(file, "t.csv", undefined, { pool, minBytes: 0 });
        assert.ok(inParts(many.ds), `read ${read + 1} in parts`);
        assert.equal(fingerprint(many.ds), fingerprint(one.ds));
      }
    } finally {
      await pool.close();
    }
    // The read asks the threads it was given, and starts none of its own: closed, they answer nothing, and the file is read serially.
    const closed = await readCsvFile(file, "t.csv", undefined, { pool, minBytes: 0 });
    assert.ok(!inParts(closed.ds));
    assert.equal(fingerprint(closed.ds), fingerprint(one.ds));
  });
});

test("quoted fields holding newlines across the cut points: the same columns as read serially", async () => {
  // Every row's note holds newlines, so a cut after a newline almost always falls inside quotes.
  const lines = ["id,note,x"];
  for (let i = 0; i < 2000; i++) lines.push(`${i},"line one of ${i}\nline two, with a comma\n""quoted"" three",${i * 0.5}`);
  await withFile(`${lines.join("\n")}\n`, async (file) => {
    const one = await serial(file);
    for (const workers of [2, 4, 7]) assert.equal(fingerprint((await parallel(file, workers)).ds), fingerprint(one.ds));
    assert.equal(one.ds.rows, 2000);
    assert.equal((one.ds.columns[1].values as string[])[3], 'line one of 3\nline two, with a comma\n"quoted" three');
  });
});

test("a quoted newline at one cut and plain rows elsewhere: the parts around it are read on workers or serially, the columns are the same", async () => {
  const lines = ["a,b"];
  for (let i = 0; i < 4000; i++) lines.push(i === 2000 ? `${i},"x\n${"y,".repeat(500)}\nz"` : `${i},${i}`);
  await withFile(`${lines.join("\n")}\n`, async (file) => {
    const one = await serial(file);
    assert.equal(one.ds.columns[1].type, "string");
    assert.equal(fingerprint((await parallel(file, 2)).ds), fingerprint(one.ds));
    assert.equal(fingerprint((await parallel(file, 6)).ds), fingerprint(one.ds));
  });
});

test("a malformed line in a later part is the serial reader's error, with its line", async () => {
  const lines = ["a,b,c"];
  for (let i = 0; i < 3000; i++) lines.push(i === 2600 ? "1,2" : `${i},${i},${i}`);
  await withFile(`${lines.join("\n")}\n`, async (file) => {
    await assert.rejects(parallel(file, 3), (e: unknown) => {
      assert.ok(e instanceof DwError);
      assert.equal(e.code, "DATA_ERROR");
      assert.equal(e.details?.line, 2602);
      assert.match(e.message, /expected 3 fields \(as in the header\), found 2/);
      return true;
    });
  });
});

test("non-UTF-8 bytes in a later part: read serially, so the file is windows-1252 as a whole, as before", async () => {
  const lines = ["city,x"];
  for (let i = 0; i < 3000; i++) lines.push(`${i === 2900 ? "Z\xfcrich" : "Oslo"},${i}`);
  const dir = await mkdtemp(join(tmpdir(), "dw-csvpar-"));
  try {
    const file = join(dir, "t.csv");
    await writeFile(file, Buffer.from(`${lines.join("\n")}\n`, "latin1"));
    const many = await readCsvFile(file, "t.csv", undefined, { workers: 3, minBytes: 0 });
    const one = await readCsvFile(file, "t.csv", undefined, { workers: 1 });
    assert.equal(many.encoding, "windows-1252");
    assert.equal(fingerprint(many.ds), fingerprint(one.ds));
    assert.equal((many.ds.columns[0].values as string[])[2900], "Zürich");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The same text through CsvTable with and without the scanner's shortcut for rows of plain decimals. */
function bothWays(text: string): [string, string] {
  const run = (fast: boolean) => {
    const table = new CsvTable("t.csv", 44);
    const scanner = new CsvScanner(44, "t.csv", table.record, undefined, { fastRow: fast ? table.fastRow : undefined });
    // Small chunks, so rows are cut at chunk ends too.
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += 37) scanner.feed(buf.subarray(i, i + 37));
    scanner.end();
    return fingerprint(table.finish());
  };
  return [run(true), run(false)];
}

test("rows of plain decimals parsed in one pass give the bits the field-by-field path gives, for every kind of number text", () => {
  const cells = [
    "1",
    "-0",
    "0",
    "1.5",
    "-2e3",
    "1e-5",
    "00012",
    "0.000123",
    "1.",
    ".5",
    "+3",
    "4.2E+2",
    "123456789012345",
    "1234567890123456",
    "12345678901234567",
    "0.1234567890123456",
    "9007199254740993",
    "1e22",
    "1e23",
    "1e-22",
    "5e-324",
    "1e400",
  ];
  const lines = ["a,b,c"];
  for (let i = 0; i < cells.length; i++) for (let k = 0; k < cells.length; k++) lines.push(`${cells[i]},${cells[k]},${(i * 31 + k) / 7}`);
  const [fast, slow] = bothWays(`${lines.join("\n")}\n`);
  assert.equal(fast, slow);
  // With nulls, text turning up late, CRLF and a last line without a newline.
  const more = ["a,b", "1,2", "3,", ",4", "5,x", "6.5,7", "8,9"].join("\r\n");
  const [f2, s2] = bothWays(more);
  assert.equal(f2, s2);
});

test("the record counter agrees with the scanner on quotes, doubled quotes, CR/CRLF, empty lines and chunk cuts anywhere", () => {
  const texts = ['a,b\n1,"x\ny"\n\n2,"q""\n"\r\n3,4\r\n\r\n5,"z"\r6,7', 'h\n"\n"\n\r\nab"c\n"a""b"\n', "x,y\r\n1,2\r\n", '"a,b",c\n"1\r\n2",3'];
  for (const text of texts) {
    const buf = Buffer.from(text);
    let scanned = 0;
    const scanner = new CsvScanner(44, "t.csv", () => scanned++);
    scanner.feed(buf);
    scanner.end();
    for (let cut = 1; cut < buf.length; cut++) {
      const counter = new CsvRecordCounter(44);
      counter.feed(buf.subarray(0, cut));
      counter.feed(buf.subarray(cut));
      assert.equal(counter.records, scanned, `${JSON.stringify(text)} cut at ${cut}`);
      assert.equal(counter.malformed, false);
    }
  }
  const bad = new CsvRecordCounter(44);
  bad.feed(Buffer.from('a\n"x"y\n'));
  assert.equal(bad.malformed, true);
});
