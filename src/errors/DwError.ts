/**
 * The one error class a user can meet. `code` is stable and listed in docs/errors.md;
 * `details` says where (column, row, file, field) and `hint` what to do next.
 * A tool that fails on bad input throws a DwError; the tool runner turns it into a
 * result `{ ok: false, error }`. Anything else thrown is a programming fault.
 */
export type DwErrorCode =
  | "INVALID_INPUT"
  | "UNKNOWN_TOOL"
  | "NOT_FOUND"
  | "DATA_ERROR"
  | "CONFLICT"
  | "SERVER_ERROR"
  | "INTERRUPTED"
  | "GATE_FAILED"
  | "CONFIG_ERROR"
  | "SQL_ERROR"
  | "CONNECTION_ERROR"
  | "WORKSPACE_ERROR"
  | "INTERNAL";

export interface DwErrorJSON {
  code: DwErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

export class DwError extends Error {
  readonly code: DwErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: DwErrorCode, message: string, options: { hint?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = "DwError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  toJSON(): DwErrorJSON {
    const json: DwErrorJSON = { code: this.code, message: this.message };
    if (this.hint !== undefined) json.hint = this.hint;
    if (this.details !== undefined) json.details = this.details;
    return json;
  }
}

export function isDwError(e: unknown): e is DwError {
  return e instanceof DwError;
}
