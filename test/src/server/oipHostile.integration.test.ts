import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { assertNoStack, rawRequest, servedWorkspace, type ServedWorkspace } from "./serverFixture.js";

/*
 * Hostile requests against dw serve's Open Inference Protocol routes: wrong shapes and datatypes,
 * huge declared sizes, bad binary header lengths, bodies that are not JSON, missing tensors,
 * unknown models and routes. Each carries the marker QZX in its hostile part where the shape
 * allows, and must get a 4xx whose body is {"error": "..."} (what OIP clients read) without the
 * marker or a stack trace. The same server must then still answer and score.
 */

let sw: ServedWorkspace;

before(async () => {
  sw = await servedWorkspace();
});

after(async () => {
  await sw.tw.cleanup();
});

const MARK = "QZX";
const INFER = "/v2/models/temp/infer";

/** A tensor of `temp`'s three inputs, n rows of JSON data. */
const columns = (n = 2) =>
  ["precipitation", "temp_min", "wind"].map((name) => ({ name, datatype: "FP64", shape: [n], data: Array.from({ length: n }, (_, i) => i) }));

/** A body in the binary tensor extension: the JSON, then the bytes; with its Inference-Header-Content-Length. */
function binaryBody(json: unknown, bytes: Buffer, headerLength?: string): { body: Buffer; headers: Record<string, string> } {
  const head = Buffer.from(JSON.stringify(json));
  return { body: Buffer.concat([head, bytes]), headers: { "Inference-Header-Content-Length": headerLength ?? String(head.length) } };
}

const f64 = (...xs: number[]) => {
  const b = Buffer.alloc(xs.length * 8);
  xs.forEach((x, i) => b.writeDoubleLE(x, i * 8));
  return b;
};

const twoFp64 = (extra: Record<string, unknown>) => ({
  inputs: [...columns().slice(0, 2), { name: "wind", datatype: "FP64", shape: [2], parameters: { binary_data_size: 16 }, ...extra }],
});

interface Case {
  what: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
}

function json(what: string, body: unknown, status = 400, path = INFER): Case {
  return { what, path, body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json" }, status };
}

function binary(what: string, b: { body: Buffer; headers: Record<string, string> }, status = 400): Case {
  return { what, body: b.body, headers: { "Content-Type": "application/octet-stream", ...b.headers }, status };
}

const cases: Case[] = [
  // not JSON, or not the request object
  json("not JSON", `{"inputs": [${MARK}`),
  json("empty body", ""),
  json("a JSON list", [MARK]),
  json("no inputs", { id: "x", [MARK]: 1 }),
  json("inputs not a list", { inputs: { name: MARK } }),
  json("inputs empty", { inputs: [] }),
  json("a tensor not an object", { inputs: [MARK] }),
  json("a tensor without a name", { inputs: [{ datatype: "FP64", shape: [1], data: [1] }] }),
  json("a repeated tensor name", { inputs: [...columns(), columns()[0]] }),
  json("id not text", { id: 7, inputs: columns() }),
  json("parameters not an object", { parameters: MARK, inputs: columns() }),
  json("binary_data_output not a boolean", { parameters: { binary_data_output: MARK }, inputs: columns() }),
  json("invalid UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("latin1")),
  // datatypes and values
  json("an unknown datatype", { inputs: [{ ...columns()[0], datatype: MARK }, ...columns().slice(1)] }),
  json("text in FP64", { inputs: [{ ...columns()[0], data: [MARK, 1] }, ...columns().slice(1)] }),
  json("a number in BYTES", { inputs: [...columns().slice(0, 3), { name: MARK, datatype: "BYTES", shape: [1], data: [1] }] }),
  json("1 in BOOL", { inputs: [{ ...columns()[0], datatype: "BOOL", data: [1, 0] }, ...columns().slice(1)] }),
  json("a fraction in INT32", { inputs: [{ ...columns()[0], datatype: "INT32", data: [1.5, 2] }, ...columns().slice(1)] }),
  json("300 in INT8", { inputs: [{ ...columns()[0], datatype: "INT8", data: [300, 2] }, ...columns().slice(1)] }),
  json("an object in data", { inputs: [{ ...columns()[0], data: [{ [MARK]: 1 }, 2] }, ...columns().slice(1)] }),
  json("data not a list", { inputs: [{ ...columns()[0], data: MARK }, ...columns().slice(1)] }),
  json("no data", { inputs: [{ name: "wind", datatype: "FP64", shape: [2] }, ...columns().slice(0, 2)] }),
  json("text in a double column", { inputs: [{ ...columns()[0], datatype: "BYTES", data: [MARK, "1"] }, ...columns().slice(1)] }),
  json("a boolean in a double column", { inputs: [{ ...columns()[0], datatype: "BOOL", data: [true, false] }, ...columns().slice(1)] }),
  // shapes
  json("shape and data disagree", { inputs: [{ ...columns()[0], shape: [5] }, ...columns().slice(1)] }),
  json("a negative dimension", { inputs: [{ ...columns()[0], shape: [-2] }, ...columns().slice(1)] }),
  json("a fractional dimension", { inputs: [{ ...columns()[0], shape: [1.5] }, ...columns().slice(1)] }),
  json("a dimension as text", { inputs: [{ ...columns()[0], shape: [MARK] }, ...columns().slice(1)] }),
  json("shape not a list", { inputs: [{ ...columns()[0], shape: MARK }, ...columns().slice(1)] }),
  json("a huge shape", { inputs: [{ ...columns()[0], shape: [1e15, 1e15] }, ...columns().slice(1)] }),
  json("a shape just past 2^53", { inputs: [{ ...columns()[0], shape: [2 ** 26, 2 ** 27 + 1] }, ...columns().slice(1)] }),
  json("a column of two columns", { inputs: [{ ...columns()[0], shape: [1, 2] }, ...columns().slice(1)] }),
  json("columns of different lengths", { inputs: [...columns(2).slice(0, 2), columns(3)[2]] }),
  json("a missing column", { inputs: columns().slice(0, 2) }),
  json("a 2-D tensor of the wrong width", { inputs: [{ name: MARK, datatype: "FP64", shape: [1, 4], data: [1, 2, 3, 4] }] }),
  json("two tensors named after no input", {
    inputs: [
      { name: MARK, datatype: "FP64", shape: [1, 3], data: [1, 2, 3] },
      { name: "b", datatype: "FP64", shape: [1], data: [1] },
    ],
  }),
  json("a 3-D tensor", { inputs: [{ name: MARK, datatype: "FP64", shape: [1, 3, 1], data: [1, 2, 3] }] }),
  json("too many rows", { inputs: columns(100_001) }),
  json(
    "deep nesting",
    `{"inputs": [{"name": "wind", "datatype": "FP64", "shape": [2], "data": ${"[".repeat(50_000)}1${"]".repeat(50_000)}}, ${JSON.stringify(columns()[0])}, ${JSON.stringify(columns()[1])}]}`,
  ),
  // outputs and extensions dw does not have
  json("an unknown output", { inputs: columns(), outputs: [{ name: MARK }] }),
  json("the same output twice", { inputs: columns(), outputs: [{ name: "predict" }, { name: "predict" }] }),
  json("outputs not a list", { inputs: columns(), outputs: MARK }),
  json("binary_data not a boolean", { inputs: columns(), outputs: [{ name: "predict", parameters: { binary_data: MARK } }] }),
  json("the classification extension", { inputs: columns(), outputs: [{ name: "predict", parameters: { classification: 2 } }] }),
  json("shared memory", { inputs: [{ ...columns()[0], data: undefined, parameters: { shared_memory_region: MARK } }, ...columns().slice(1)] }),
  // the binary tensor extension
  binary("binary_data_size without the header", { body: Buffer.from(JSON.stringify(twoFp64({}))), headers: {} }),
  binary("binary data without the header", { body: Buffer.concat([Buffer.from(JSON.stringify(twoFp64({}))), f64(1, 2)]), headers: {} }),
  binary("a header length as text", binaryBody(twoFp64({}), f64(1, 2), MARK)),
  binary("a negative header length", binaryBody(twoFp64({}), f64(1, 2), "-1")),
  binary("a header length past the body", binaryBody(twoFp64({}), f64(1, 2), "999999")),
  binary("a header length inside the JSON", binaryBody(twoFp64({}), f64(1, 2), "10")),
  binary("a huge binary_data_size", binaryBody(twoFp64({ parameters: { binary_data_size: 1e15 } }), f64(1, 2))),
  binary("binary_data_size as text", binaryBody(twoFp64({ parameters: { binary_data_size: MARK } }), f64(1, 2))),
  binary("a negative binary_data_size", binaryBody(twoFp64({ parameters: { binary_data_size: -16 } }), f64(1, 2))),
  binary("binary_data_size not the shape's", binaryBody(twoFp64({ parameters: { binary_data_size: 8 } }), f64(1))),
  binary("bytes left over", binaryBody(twoFp64({}), Buffer.concat([f64(1, 2), Buffer.from(MARK)]))),
  binary("both data and binary", binaryBody(twoFp64({ data: [1, 2] }), f64(1, 2))),
  binary("BOOL byte 2", binaryBody(twoFp64({ datatype: "BOOL", parameters: { binary_data_size: 2 } }), Buffer.from([1, 2]))),
  binary(
    "a BYTES length past the end",
    binaryBody(twoFp64({ datatype: "BYTES", shape: [1], parameters: { binary_data_size: 7 } }), Buffer.from([255, 255, 255, 127, 81, 90, 88])),
  ),
  binary("a BYTES length cut short", binaryBody(twoFp64({ datatype: "BYTES", shape: [1], parameters: { binary_data_size: 2 } }), Buffer.from([3, 0]))),
  binary(
    "BYTES that are not UTF-8",
    binaryBody(twoFp64({ datatype: "BYTES", shape: [1], parameters: { binary_data_size: 8 } }), Buffer.from([4, 0, 0, 0, 0xff, 81, 90, 88])),
  ),
  binary("an infinite FP64", binaryBody(twoFp64({}), f64(1, Number.POSITIVE_INFINITY))),
  { what: "a compressed body", headers: { "Content-Encoding": "gzip" }, body: "{}", status: 415 },
  { what: "a body over the limit", body: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20), status: 413 },
  // models and routes
  json("an unknown model", { inputs: columns() }, 404, `/v2/models/${MARK}model/infer`),
  json("an unknown alias", { inputs: columns() }, 404, `/v2/models/temp%40${MARK}/infer`),
  json("an unknown version", { inputs: columns() }, 404, "/v2/models/temp/versions/99/infer"),
  json("a version as text", { inputs: columns() }, 400, `/v2/models/temp/versions/${MARK}/infer`),
  json("an alias and a version", { inputs: columns() }, 400, "/v2/models/temp@production/versions/1/infer"),
  json("an invalid model name", { inputs: columns() }, 400, `/v2/models/${MARK}..x/infer`),
  json("malformed percent-encoding", { inputs: columns() }, 400, `/v2/models/${MARK}%E0%A4%A/infer`),
  { what: "an unknown route", path: `/v2/${MARK}`, status: 404 },
  { what: "an unknown model route", path: `/v2/models/temp/${MARK}`, status: 404 },
  { what: "metadata of an unknown model", path: `/v2/models/${MARK}`, status: 404 },
  { what: "readiness of an unknown model", path: `/v2/models/${MARK}/ready`, status: 404 },
  { what: "GET on infer", method: "GET", path: INFER, status: 405 },
  { what: "POST on live", method: "POST", path: "/v2/health/live", body: MARK, status: 405 },
  { what: "DELETE on a model", method: "DELETE", path: "/v2/models/temp", status: 405 },
];

test("hostile requests to the OIP routes get a 4xx {error} that echoes nothing, and the server keeps serving", async () => {
  for (const c of cases) {
    const r = await rawRequest(sw.base, {
      method: c.method ?? (c.body !== undefined ? "POST" : "GET"),
      path: c.path ?? INFER,
      headers: c.headers,
      body: c.body,
    });
    assert.equal(r.status, c.status, `${c.what}: ${r.body}`);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ["error"], c.what);
    assert.equal(typeof body.error, "string", c.what);
    assert.ok((body.error as string).length > 10, c.what);
    assert.doesNotMatch(r.body, new RegExp(MARK, "i"), c.what);
    assertNoStack(r.body);
  }
  const live = await rawRequest(sw.base, { path: "/v2/health/live" });
  assert.equal(live.status, 200);
  const ok = await rawRequest(sw.base, { method: "POST", path: INFER, body: JSON.stringify({ inputs: columns() }) });
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(JSON.parse(ok.body).outputs[0].shape, [2]);
});
