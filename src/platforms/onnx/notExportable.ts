import { DwError } from "../../errors/DwError.js";

/**
 * The error for a model whose scoring an ONNX graph cannot reproduce exactly: INVALID_INPUT naming
 * the model, the column and the pipeline step or estimator in `details` (`unsupported`), with what
 * to do instead. dw never writes a graph that would score differently.
 */
export function notExportable(what: string, details: Record<string, unknown>, hint: string): DwError {
  return new DwError("INVALID_INPUT", `This model cannot be exported to ONNX: ${what}.`, {
    hint,
    details: { field: "model_id", ...details },
  });
}
