import { DwError } from "../../errors/DwError.js";
import { DATATYPES, type Datatype, isDatatype } from "./datatypes.js";
import { binaryTensorValues, jsonTensorValues, type TensorValues } from "./decodeTensor.js";

/** One input tensor of an inference request, decoded. */
export interface InputTensor {
  name: string;
  /** Where it is in the request (`inputs[2]`), for messages: a tensor's name is the client's text, never echoed. */
  where: string;
  shape: number[];
  datatype: Datatype;
  values: TensorValues;
}

/** An output the request asks for, and whether it goes back in the binary tensor extension. */
export interface RequestedOutput {
  name: string;
  where: string;
  binary: boolean;
}

/** An Open Inference Protocol inference request, checked and decoded. */
export interface InferRequest {
  /** The request's `id`, returned in the response as the protocol requires. */
  id?: string;
  inputs: InputTensor[];
  /** The outputs asked for by name; null when the request names none (then all, as binary when binaryOutput). */
  outputs: RequestedOutput[] | null;
  /** Triton's `binary_data_output` request parameter: outputs not asked for otherwise go back as binary. */
  binaryOutput: boolean;
}

/**
 * Reads an inference request body: the JSON object, followed (when `headerLength`, the
 * Inference-Header-Content-Length header, is given) by the binary data of the inputs that declare
 * `binary_data_size`, in the order of those inputs, filling the rest of the body exactly. Fields
 * other than id, parameters, inputs and outputs are ignored (clients send model_name, for one);
 * request parameters other than binary_data_output are ignored, as dw models take none. Messages
 * name the field by position (`inputs[2].shape`), never a value or a name the client sent.
 *
 * `parseJson` turns the JSON text into a value (or throws the client's error). Linear in the body.
 */
export function parseInferRequest(body: Buffer, headerLength: number | null, parseJson: (text: string) => unknown): InferRequest {
  if (headerLength !== null && headerLength > body.length) {
    throw bad(`The Inference-Header-Content-Length header is larger than the request body (${body.length} bytes).`);
  }
  const jsonEnd = headerLength ?? body.length;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body.subarray(0, jsonEnd));
  } catch {
    throw bad(
      headerLength === null
        ? "The request body is not valid UTF-8: a body with binary tensor data after its JSON needs the Inference-Header-Content-Length header."
        : "The JSON part of the request (Inference-Header-Content-Length) is not valid UTF-8.",
    );
  }
  const request = parseJson(text);
  if (!isObject(request)) throw bad("The request must be a JSON object with inputs (a list of tensors).");
  const id = field(request, "id");
  if (id !== undefined && typeof id !== "string") throw bad("id must be text.");
  const parameters = objectField(request, "parameters", "parameters");
  const binaryOutput = field(parameters, "binary_data_output");
  if (binaryOutput !== undefined && typeof binaryOutput !== "boolean") throw bad("parameters.binary_data_output must be true or false.");

  const rawInputs = field(request, "inputs");
  if (!Array.isArray(rawInputs)) throw bad("inputs must be a list of tensors ({name, shape, datatype, data}).");
  const binary = body.subarray(jsonEnd);
  let offset = 0;
  const names = new Map<string, number>();
  const inputs: InputTensor[] = [];
  for (let i = 0; i < rawInputs.length; i++) {
    const where = `inputs[${i}]`;
    const t: unknown = rawInputs[i];
    if (!isObject(t)) throw bad(`${where} must be an object {name, shape, datatype, data}.`);
    const name = field(t, "name");
    if (typeof name !== "string") throw bad(`${where}.name must be text.`);
    if (names.has(name)) throw bad(`${where} has the same name as inputs[${names.get(name)}]; each input tensor must appear once.`);
    names.set(name, i);
    const datatype = field(t, "datatype");
    if (!isDatatype(datatype)) throw bad(`${where}.datatype must be one of ${DATATYPES.join(", ")}.`);
    const shape = field(t, "shape");
    const count = elementCount(shape, where);
    const params = objectField(t, "parameters", `${where}.parameters`);
    if (field(params, "shared_memory_region") !== undefined) throw bad(`${where}: the shared-memory extension is not supported; send the data in the request.`);
    const size = field(params, "binary_data_size");
    const data = field(t, "data");
    let values: TensorValues;
    if (size !== undefined) {
      if (data !== undefined) throw bad(`${where} has both data and parameters.binary_data_size; give one.`);
      if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)
        throw bad(`${where}.parameters.binary_data_size must be a whole number of bytes from 0.`);
      if (headerLength === null) {
        throw bad(`${where} declares binary_data_size, and the request has no Inference-Header-Content-Length header to say where its JSON ends.`);
      }
      if (size > binary.length - offset) throw bad(`${where}.parameters.binary_data_size goes past the end of the request body.`);
      values = binaryTensorValues(binary.subarray(offset, offset + size), datatype, count, where);
      offset += size;
    } else {
      if (data === undefined) throw bad(`${where} has no data (nor parameters.binary_data_size).`);
      values = jsonTensorValues(data, datatype, count, where);
    }
    inputs.push({ name, where, shape: shape as number[], datatype, values });
  }
  if (offset !== binary.length) {
    throw bad(
      `The body has ${binary.length} bytes after its JSON part (Inference-Header-Content-Length), more than the inputs' binary_data_size add up to; each binary input must declare its size.`,
    );
  }
  return { ...(id !== undefined ? { id } : {}), inputs, outputs: requestedOutputs(request, binaryOutput === true), binaryOutput: binaryOutput === true };
}

function requestedOutputs(request: Record<string, unknown>, binaryOutput: boolean): RequestedOutput[] | null {
  const raw = field(request, "outputs");
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) throw bad("outputs must be a list of {name, parameters}.");
  const out: RequestedOutput[] = [];
  for (let i = 0; i < raw.length; i++) {
    const where = `outputs[${i}]`;
    const o: unknown = raw[i];
    if (!isObject(o)) throw bad(`${where} must be an object {name, parameters}.`);
    const name = field(o, "name");
    if (typeof name !== "string") throw bad(`${where}.name must be text.`);
    const params = objectField(o, "parameters", `${where}.parameters`);
    if (field(params, "shared_memory_region") !== undefined) throw bad(`${where}: the shared-memory extension is not supported.`);
    if (field(params, "classification") !== undefined) throw bad(`${where}: the classification extension is not supported; the output holds the class labels.`);
    const b = field(params, "binary_data");
    if (b !== undefined && typeof b !== "boolean") throw bad(`${where}.parameters.binary_data must be true or false.`);
    out.push({ name, where, binary: b ?? binaryOutput });
  }
  return out.length ? out : null;
}

/** The number of elements a shape holds; a shape must be a list of whole numbers from 0. */
function elementCount(shape: unknown, where: string): number {
  if (!Array.isArray(shape)) throw bad(`${where}.shape must be a list of whole numbers.`);
  let count = 1;
  for (let d = 0; d < shape.length; d++) {
    const n: unknown = shape[d];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw bad(`${where}.shape[${d}] must be a whole number from 0.`);
    count *= n;
  }
  if (shape.includes(0)) return 0;
  if (count > Number.MAX_SAFE_INTEGER) throw bad(`${where}.shape holds more elements than any request body can.`);
  return count;
}

function field(o: Record<string, unknown> | undefined, key: string): unknown {
  return o && Object.hasOwn(o, key) ? o[key] : undefined;
}

function objectField(o: Record<string, unknown>, key: string, where: string): Record<string, unknown> | undefined {
  const v = field(o, key);
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw bad(`${where} must be an object of parameters.`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function bad(message: string): DwError {
  return new DwError("INVALID_INPUT", message);
}
