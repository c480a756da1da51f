import type http from "node:http";
import type { Datatype } from "./datatypes.js";

/** What the inference response carries besides the predictions. */
export interface InferAnswer {
  modelName: string;
  modelVersion: string;
  id?: string;
  outputName: string;
  datatype: Datatype;
  /** Whether the output goes back in the binary tensor extension. */
  binary: boolean;
  headers: Record<string, string>;
}

/**
 * Writes the inference response: one output tensor of shape [n]. As JSON
 * (`{"model_name", "model_version", "id"?, "outputs": [{"name", "datatype", "shape", "data"}]}`),
 * or, when the output is asked for as binary, the same JSON with `parameters.binary_data_size`
 * instead of `data`, followed by the little-endian bytes, its length in the
 * Inference-Header-Content-Length header. Labels are written as the datatype takes them: BYTES
 * as text, BOOL as booleans, INT64 and FP64 as numbers.
 */
export function sendInferResponse(res: http.ServerResponse, predictions: readonly unknown[], answer: InferAnswer): void {
  const output: Record<string, unknown> = { name: answer.outputName, datatype: answer.datatype, shape: [predictions.length] };
  const head = { model_name: answer.modelName, model_version: answer.modelVersion, ...(answer.id !== undefined ? { id: answer.id } : {}) };
  if (res.headersSent || res.destroyed) return;
  if (!answer.binary) {
    output.data = answer.datatype === "BYTES" ? predictions.map(String) : predictions;
    const body = JSON.stringify({ ...head, outputs: [output] });
    res.writeHead(200, { ...answer.headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const data = binaryData(predictions, answer.datatype);
  output.parameters = { binary_data_size: data.length };
  const json = Buffer.from(JSON.stringify({ ...head, outputs: [output] }));
  res.writeHead(200, {
    ...answer.headers,
    "Content-Type": "application/octet-stream",
    "Inference-Header-Content-Length": String(json.length),
    "Content-Length": json.length + data.length,
  });
  res.end(Buffer.concat([json, data]));
}

/** Predictions in the binary tensor extension's layout for their datatype. */
function binaryData(predictions: readonly unknown[], datatype: Datatype): Buffer {
  const n = predictions.length;
  if (datatype === "BYTES") {
    const parts = predictions.map((p) => Buffer.from(String(p), "utf8"));
    const out = Buffer.alloc(parts.reduce((s, b) => s + 4 + b.length, 0));
    let at = 0;
    for (const b of parts) {
      out.writeUInt32LE(b.length, at);
      b.copy(out, at + 4);
      at += 4 + b.length;
    }
    return out;
  }
  if (datatype === "BOOL") return Buffer.from(predictions.map((p) => (p === true ? 1 : 0)));
  const out = Buffer.alloc(n * 8);
  for (let i = 0; i < n; i++) {
    if (datatype === "INT64") out.writeBigInt64LE(BigInt(predictions[i] as number), i * 8);
    else out.writeDoubleLE(predictions[i] as number, i * 8);
  }
  return out;
}
