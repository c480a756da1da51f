import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { assertNoStack, rawRequest, score, servedWorkspace, type ServedWorkspace } from "./serverFixture.js";
import { runTool } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";

/**
 * The rest of MLflow's scoring protocol on a real `dw serve`: instances, inputs (records and
 * columns), params, and CSV bodies score the same rows as dataframe_split; every bad request is a
 * 4xx whose JSON answer repeats none of the values sent.
 */
let sw: ServedWorkspace;
let base: string;
const TEMP = "/models/temp@production/invocations";
const TW = "/models/tw@production/invocations";
const ONE = "/models/one@production/invocations";

const rows = [
  { precipitation: 0, temp_min: 5, wind: 4.7, weather: "sun" },
  { precipitation: 10.9, temp_min: 2.8, wind: 4.5, weather: "rain" },
  { precipitation: 0.8, temp_min: 7.2, wind: 2.3, weather: "drizzle" },
];
const columns = ["precipitation", "temp_min", "wind", "weather"];
const split = { dataframe_split: { columns, data: rows.map((r) => columns.map((c) => r[c as keyof typeof r])) } };
let expected: { temp: unknown[]; tw: unknown[] };

before(async () => {
  sw = await servedWorkspace();
  base = sw.base;
  const one = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["wind"], algorithm: "linear_regression" }, sw.ctx));
  ok(await runTool("register_model", { model_id: one.run_id, model_name: "one" }, sw.ctx));
  ok(await runTool("deploy_model", { model_name: "one", alias: "production" }, sw.ctx));
  const t = await score(base, TEMP, split);
  const w = await score(base, TW, split);
  assert.equal(t.status, 200, t.text);
  assert.equal(w.status, 200, w.text);
  expected = { temp: t.json.predictions, tw: w.json.predictions };
  assert.equal(expected.temp.length, 3);
});
after(async () => sw.tw.cleanup());

function postCsv(path: string, body: string, type = "text/csv") {
  return rawRequest(base, { method: "POST", path, headers: { "Content-Type": type }, body });
}

test("instances and inputs (records, columns) and params score what dataframe_split scores", async () => {
  const columnar = Object.fromEntries(columns.map((c) => [c, rows.map((r) => r[c as keyof typeof r])]));
  const bodies: unknown[] = [
    { instances: rows },
    { inputs: rows },
    { inputs: columnar },
    { dataframe_records: rows, params: { temperature: 0.5 } },
    { inputs: columnar, params: {} },
    { instances: rows, params: null },
  ];
  for (const body of bodies) {
    for (const [path, want] of [
      [TEMP, expected.temp],
      [TW, expected.tw],
    ] as const) {
      const r = await score(base, path, body);
      assert.equal(r.status, 200, `${JSON.stringify(body)}: ${r.text}`);
      assert.deepEqual(r.json.predictions, want);
    }
  }
  // One row as an object of single values.
  const single = await score(base, TEMP, { inputs: rows[0] });
  assert.equal(single.status, 200, single.text);
  assert.deepEqual(single.json.predictions, [expected.temp[0]]);
});

test("a list of bare values is the one column of a one-input model", async () => {
  const bySplit = await score(base, ONE, { dataframe_split: { columns: ["wind"], data: [[4.7], [4.5], [2.3]] } });
  assert.equal(bySplit.status, 200, bySplit.text);
  for (const body of [{ instances: [4.7, 4.5, 2.3] }, { inputs: [4.7, "4.5", 2.3] }, { inputs: { wind: [4.7, 4.5, 2.3] } }]) {
    const r = await score(base, ONE, body);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.predictions, bySplit.json.predictions);
  }
});

test("CSV bodies (text/csv and application/csv) score what dataframe_split scores, quoted fields and CRLF included", async () => {
  const plain = `${columns.join(",")}\n${rows.map((r) => columns.map((c) => r[c as keyof typeof r]).join(",")).join("\n")}\n`;
  const crlfQuoted =
    `"precipitation","temp_min",wind,"weather"\r\n` +
    rows.map((r) => `"${r.precipitation}", ${r.temp_min} ,${r.wind},"${r.weather}"`).join("\r\n") +
    "\r\n\r\n";
  for (const [body, type] of [
    [plain, "text/csv"],
    [plain, "application/csv; charset=utf-8"],
    [crlfQuoted, "text/csv"],
  ]) {
    for (const [path, want] of [
      [TEMP, expected.temp],
      [TW, expected.tw],
    ] as const) {
      const r = await postCsv(path, body, type);
      assert.equal(r.status, 200, r.body);
      assert.deepEqual(JSON.parse(r.body).predictions, want);
    }
  }
  // A quoted field may hold commas, quotes and line breaks; extra columns are not read.
  const odd = `note,precipitation,temp_min,wind\n"a, ""quoted""\r\nnote",0,5,4.7\n`;
  const r = await postCsv(TEMP, odd);
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(JSON.parse(r.body).predictions, [expected.temp[0]]);
  // A header alone is zero rows.
  const empty = await postCsv(TEMP, "precipitation,temp_min,wind\n");
  assert.equal(empty.status, 200, empty.body);
  assert.deepEqual(JSON.parse(empty.body).predictions, []);
});

test("bad requests in every format are 400s that name the place and echo no value", async () => {
  const json: [string, unknown, RegExp][] = [
    [TEMP, { instances: rows, inputs: rows }, /found instances and inputs/],
    [TEMP, { dataframe_split: split.dataframe_split, instances: rows }, /exactly one of the fields/],
    [TEMP, { inputs: rows, secretfield: 1 }, /1 other field/],
    [TEMP, { inputs: rows, params: ["secret-value"] }, /params must be an object/],
    [TEMP, { instances: [[1, 2, 3]] }, /rows by position are not accepted/],
    [TEMP, { instances: [1, 2, 3] }, /one column, and this model has 3 inputs/],
    [TEMP, { instances: "secret-value" }, /instances must be a list of records/],
    [TEMP, { instances: [{ precipitation: 0, temp_min: 1, wind: 2 }, "secret-value"] }, /instances\[1\] must be an object/],
    [TEMP, { inputs: { precipitation: [1, 2], temp_min: [1], wind: [1, 2] } }, /same number of values/],
    [TEMP, { inputs: { precipitation: [1], temp_min: 1, wind: [1] } }, /mixes lists and single values/],
    [TEMP, { inputs: { precipitation: { secret: "secret-value" }, temp_min: 1, wind: 1 } }, /Column 1 of inputs is an object/],
    [TEMP, { inputs: [{ precipitation: "secret-value", temp_min: 1, wind: 2 }] }, /inputs\[0\].*expected a finite number|Row 0, column 'precipitation'/],
    [ONE, { instances: [1, [2]] }, /instances\[1\] is a list/],
  ];
  for (const [path, body, message] of json) {
    const r = await score(base, path, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error_code, "BAD_REQUEST");
    assert.match(r.json.message, message);
    assert.doesNotMatch(r.text, /secret/);
    assertNoStack(r.text);
  }
  const csv: [string, RegExp][] = [
    ["precipitation,temp_min,wind\n0,5,4.7\nsecret-value,5\n", /CSV line 3 has 2 fields; the header has 3/],
    ["precipitation,temp_min,wind\n0,5,4.7,secret-value\n", /CSV line 2 has 4 fields/],
    ['precipitation,temp_min,wind\n0,5,"secret-value\n', /CSV line 2: a quoted field is not closed/],
    ['precipitation,temp_min,wind\n0,"5"secret-value,4.7\n', /CSV line 2: text follows a closing quote/],
    ['precipitation,temp_min,wind\n0,5,sec"ret-value\n', /CSV line 2: a quote inside an unquoted field/],
    ["precipitation,temp_min,wind\n\n\n0,secret-value,4.7\n", /Row 0, column 'temp_min': expected a finite number/],
    ["precipitation,secret,secret\n0,5,4.7\n", /header column 3 repeats the name of column 2/],
    ["", /CSV body is empty/],
    ["precipitation,temp_min\n0,5\n", /Missing column\(s\) 'wind'/],
  ];
  for (const [body, message] of csv) {
    const r = await postCsv(TEMP, body);
    assert.equal(r.status, 400, `${body}: ${r.body}`);
    const answer = JSON.parse(r.body);
    assert.equal(answer.error_code, "BAD_REQUEST");
    assert.match(answer.message, message);
    assert.doesNotMatch(r.body, /secret/);
    assertNoStack(r.body);
  }
  const other = await postCsv(TEMP, "a\n1\n", "text/tab-separated-values");
  assert.equal(other.status, 415);
});

test("CSV bodies keep the row limit and stay linear in size", async () => {
  // 100,001 rows: one past the limit, refused without scoring.
  const over = `precipitation,temp_min,wind\n${"0,5,4.7\n".repeat(100_001)}`;
  const r = await postCsv(TEMP, over);
  assert.equal(r.status, 400, r.body.slice(0, 200));
  assert.match(JSON.parse(r.body).message, /Too many rows: more than 100000/);
  // 100,000 rows with a wide row of extra columns are scored quickly.
  const extra = Array.from({ length: 50 }, (_, i) => `x${i}`).join(",");
  const wide = `${extra},precipitation,temp_min,wind\n${`${"1,".repeat(50)}0,5,4.7\n`.repeat(100_000)}`;
  const started = Date.now();
  const w = await postCsv(TEMP, wide);
  assert.equal(w.status, 200, w.body.slice(0, 200));
  const predictions = JSON.parse(w.body).predictions as number[];
  assert.equal(predictions.length, 100_000);
  assert.equal(predictions[99_999], expected.temp[0]);
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});

test("columns the model does not read are ignored and reported by place in the Dw-Ignored-Columns header, never by name", async () => {
  const post = (body: unknown) => rawRequest(base, { method: "POST", path: ONE, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const plain = await post({ dataframe_split: { columns: ["wind"], data: [[4.7]] } });
  assert.equal(plain.status, 200, plain.body);
  assert.equal(plain.headers["dw-ignored-columns"], undefined);
  const split = await post({ dataframe_split: { columns: ["a", "wind", "b"], data: [[1, 4.7, 2]] } });
  assert.equal(split.headers["dw-ignored-columns"], "2 (dataframe_split.columns[0], dataframe_split.columns[2])");
  const records = await post({
    dataframe_records: [
      { wind: 4.7, "note,\r\nX-Evil: 1": "x" },
      { café: 1, wind: 4.5 },
    ],
  });
  assert.equal(records.status, 200, records.body);
  assert.equal(records.headers["x-evil"], undefined);
  assert.equal(records.headers["dw-ignored-columns"], "2 (dataframe_records[0] key 2, dataframe_records[1] key 1)");
  assert.equal(JSON.parse(records.body).predictions.length, 2);
  const columnar = await post({ inputs: { x: [1], wind: [4.7] } });
  assert.equal(columnar.headers["dw-ignored-columns"], "1 (inputs key 1)");
  const csv = await postCsv(ONE, "wind,a,b\n4.7,1,2\n");
  assert.equal(csv.status, 200, csv.body);
  assert.equal(csv.headers["dw-ignored-columns"], "2 (CSV header column 2, CSV header column 3)");
  // Many extra columns: the header stays short and still counts them all.
  const wide = Object.fromEntries([["wind", 1], ...Array.from({ length: 500 }, (_, i) => [`extra_column_${i}`, i])]);
  const many = await post({ inputs: wide });
  assert.equal(many.status, 200, many.body);
  const header = String(many.headers["dw-ignored-columns"]);
  assert.ok(header.length <= 1100, `${header.length}`);
  assert.match(header, /^500 \(inputs key 2, inputs key 3, .*, \.\.\.\)$/);
  assert.doesNotMatch(header, /extra_column/);
});
