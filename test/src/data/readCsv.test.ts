import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCsvText, readCsvFile } from "../../../src/data/readCsv.js";
import { CsvScanner, sniffDelimiter } from "../../../src/data/csvScanner.js";
import { headRecords, type Dataset, type TextColumn } from "../../../src/data/Dataset.js";
import { DwError } from "../../../src/errors/DwError.js";

const parse = (text: string, delimiter?: string) => parseCsvText(text, "t.csv", delimiter);
const col = (ds: Dataset, name: string) => ds.columns.find((c) => c.name === name)!;

function dataError(fn: () => unknown, line: number | undefined, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DwError, `expected a DwError, got ${String(e)}`);
    assert.equal(e.code, "DATA_ERROR");
    assert.equal(e.details?.line, line);
    assert.match(e.message, message);
    return true;
  });
}

test("types: numbers (with nulls), booleans in any case, dates, timestamps with offsets, text; all-null columns are text", () => {
  const { ds, delimiter } = parse(
    [
      "id,price,ok,day,at,name,empty",
      "1,1.5,TRUE,2024-01-31,2024-01-31T10:00:00Z,ann,",
      "2,,false,2024-02-01,2024-02-01 11:30:00.250+02:00,bob,NA",
      "3,-2e3,True,2024-02-02,2024-02-02T12:00,,null",
    ].join("\n"),
  );
  assert.equal(delimiter, ",");
  assert.equal(ds.rows, 3);
  assert.deepEqual(
    ds.columns.map((c) => [c.name, c.type, c.nulls]),
    [
      ["id", "number", 0],
      ["price", "number", 1],
      ["ok", "boolean", 0],
      ["day", "date", 0],
      ["at", "date", 0],
      ["name", "string", 1],
      ["empty", "string", 3],
    ],
  );
  assert.deepEqual(Array.from(col(ds, "price").values as Float64Array), [1.5, NaN, -2000]);
  assert.deepEqual(col(ds, "ok").values, ["true", "false", "true"]);
  assert.deepEqual(col(ds, "at").values, ["2024-01-31T10:00:00Z", "2024-02-01 11:30:00.250+02:00", "2024-02-02T12:00"]);
  assert.deepEqual(headRecords(ds, 1), [{ id: 1, price: 1.5, ok: true, day: "2024-01-31", at: "2024-01-31T10:00:00Z", name: "ann", empty: null }]);
});

test("hex and Infinity are text, with the first non-number and its line recorded", () => {
  const { ds } = parse('a,b,c\n1,2,"1,000"\n0x1f,Infinity,3\n');
  const a = col(ds, "a") as TextColumn;
  assert.equal(a.type, "string");
  assert.deepEqual(a.firstNonNumeric, { value: "0x1f", line: 3 });
  assert.equal(a.numericShare, 0.5);
  assert.deepEqual(a.values, ["1", "0x1f"]);
  assert.equal(col(ds, "b").type, "string");
  assert.deepEqual(col(ds, "c").values, ["1,000", "3"]);
});

test("a column that turns to text after many numbers keeps each value's text exactly as written", () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `${i}.50,x${i % 3}`);
  rows.push("n/a-ish,x0");
  const { ds } = parse(`v,k\n${rows.join("\n")}\n`);
  const v = col(ds, "v") as TextColumn;
  assert.equal(v.type, "string");
  assert.equal(v.values[0], "0.50");
  assert.equal(v.values[4999], "4999.50");
  assert.equal(v.values[5000], "n/a-ish");
  assert.deepEqual(v.firstNonNumeric, { value: "n/a-ish", line: 5002 });
});

test("delimiters are sniffed: semicolon (with decimal commas quoted), tab, pipe; a single column works", () => {
  assert.equal(sniffDelimiter('a;b;c\n1;"2,5";x\n3;4;y\n'), ";");
  assert.equal(sniffDelimiter("a\tb\n1\t2\n"), "\t");
  assert.equal(sniffDelimiter("a|b|c\n1|2|3\n"), "|");
  assert.equal(sniffDelimiter("a,b\n1,2\n"), ",");
  const semi = parse('name;note\nann;"a, b; c"\nbob;plain\n');
  assert.deepEqual(col(semi.ds, "note").values, ["a, b; c", "plain"]);
  assert.equal(semi.delimiter, ";");
  const pipe = parse("x|y\n1|2\n3|4\n");
  assert.deepEqual(Array.from(col(pipe.ds, "y").values as Float64Array), [2, 4]);
  const single = parse("only\n1\n2\n");
  assert.deepEqual(Array.from(col(single.ds, "only").values as Float64Array), [1, 2]);
});

test("quoted fields hold delimiters, newlines, doubled quotes, CRLF line ends and UTF-8; a BOM is dropped", () => {
  const text = '\uFEFFid,text,city\r\n1,"say ""hi"", then\r\nleave",Zürich\r\n2,"",Łódź\r\n';
  const { ds } = parse(text);
  assert.equal(ds.columns[0].name, "id");
  assert.deepEqual(col(ds, "text").values, ['say "hi", then\r\nleave', null]);
  assert.deepEqual(col(ds, "city").values, ["Zürich", "Łódź"]);
});

test("malformed rows are errors naming their line (counting lines inside quoted fields), never dropped", () => {
  dataError(() => parse('a,b\n1,2\n3,"multi\nline"\n4,5,6\n'), 5, /line 5: expected 2 fields \(as in the header\), found 3/);
  dataError(() => parse("a,b,c\n1,2,3\n\n4,5\n"), 4, /line 4: expected 3 fields/);
  dataError(() => parse('a,b\n1,"open\n2,3\n'), 2, /line 2: a quoted field is never closed/);
  dataError(() => parse('a,b\n1,"x"y\n'), 2, /line 2: text after the closing quote/);
});

test("empty file, blank-only file and a header without rows are clear errors; header problems name the column", () => {
  dataError(() => parse(""), undefined, /t\.csv is empty: expected a header row and data rows/);
  dataError(() => parse("\n\n"), undefined, /is empty/);
  dataError(() => parse("a,b,c\n"), 2, /has a header \(a, b, c\) but no data rows/);
  dataError(() => parse("a,,c\n1,2,3\n"), 1, /column 2 of the header has no name/);
  dataError(() => parse("a,b,a\n1,2,3\n"), 1, /names column 'a' twice/);
});

test("the scanner gives the same records whatever the chunk boundaries", () => {
  const text = 'a,b,c\r\n1,"x,\r\ny",3\r\n"q""q",,"end"\r\n\r\nlast,row,here';
  const whole: [string[], number][] = [];
  const one = new CsvScanner(44, "t", (f, line) => void whole.push([f.toArray(), line]));
  one.feed(Buffer.from(text));
  one.end();
  assert.deepEqual(whole, [
    [["a", "b", "c"], 1],
    [["1", "x,\r\ny", "3"], 2],
    [['q"q', "", "end"], 4],
    [["last", "row", "here"], 6],
  ]);
  const bytes = Buffer.from(text);
  for (const size of [1, 2, 3, 7]) {
    const got: [string[], number][] = [];
    const s = new CsvScanner(44, "t", (f, line) => void got.push([f.toArray(), line]));
    for (let i = 0; i < bytes.length; i += size) s.feed(bytes.subarray(i, i + size));
    s.end();
    assert.deepEqual(got, whole, `chunks of ${size} bytes`);
  }
});

test("readCsvFile streams a file bigger than its 1 MiB chunks, and TSV by its delimiter", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-csv-"));
  try {
    const n = 60_000;
    const lines = ["i,label,when"];
    for (let i = 0; i < n; i++) lines.push(`${i},"label ${i % 7}, quoted",2024-01-${String((i % 28) + 1).padStart(2, "0")}`);
    await writeFile(join(dir, "big.csv"), lines.join("\n") + "\n");
    const { ds } = await readCsvFile(join(dir, "big.csv"), "big.csv");
    assert.equal(ds.rows, n);
    const i = col(ds, "i").values as Float64Array;
    assert.equal(i[n - 1], n - 1);
    assert.equal(i.length, n);
    assert.equal(col(ds, "label").values[n - 1], `label ${(n - 1) % 7}, quoted`);
    assert.equal(col(ds, "when").type, "date");
    await writeFile(join(dir, "t.tsv"), "a\tb\n1\tx y\n");
    const tsv = await readCsvFile(join(dir, "t.tsv"), "t.tsv", "\t");
    assert.deepEqual(headRecords(tsv.ds, 1), [{ a: 1, b: "x y" }]);
    await writeFile(join(dir, "bad.csv"), lines.slice(0, 40_000).join("\n") + "\n1,2\n");
    await assert.rejects(readCsvFile(join(dir, "bad.csv"), "bad.csv"), (e: DwError) => e.code === "DATA_ERROR" && e.details?.line === 40_001);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("numbers read straight from the bytes are exactly Number(text), for short and long decimals and exponents", () => {
  // A seeded generator: the same strings every run.
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const texts: string[] = [];
  for (let i = 0; i < 50_000; i++) {
    const digits = 1 + Math.floor(rand() * 19);
    let d = "";
    for (let k = 0; k < digits; k++) d += Math.floor(rand() * 10);
    const dot = Math.floor(rand() * (digits + 1));
    let t = (rand() < 0.3 ? "-" : "") + (dot === digits ? d : `${d.slice(0, dot)}.${d.slice(dot)}`);
    if (rand() < 0.2) t += `e${rand() < 0.5 ? "-" : "+"}${Math.floor(rand() * 30)}`;
    texts.push(t);
  }
  texts.push("0", "-0", "007", "1.", ".5", "+3", "1e22", "1e23", "123456789012345", "1234567890123456", "0.000000000000000000001", "9007199254740993");
  const { ds } = parse(`v\n${texts.join("\n")}\n`);
  const v = col(ds, "v");
  assert.equal(v.type, "number");
  const values = v.values as Float64Array;
  for (let i = 0; i < texts.length; i++) assert.ok(Object.is(values[i], Number(texts[i])), `${texts[i]}: read ${values[i]}, Number gives ${Number(texts[i])}`);
});
