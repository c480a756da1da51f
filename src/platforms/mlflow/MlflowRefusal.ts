/**
 * An MLflow tracking server answered a request with an error of its own (`{"error_code",
 * "message"}`), such as RESOURCE_DOES_NOT_EXIST or INVALID_PARAMETER_VALUE for an alias it
 * reserves. The server is there and speaks MLflow, so a sync records it against the one item
 * and goes on; a server that does not answer at all is a DwError instead (mlflowClient.ts).
 */
export class MlflowRefusal extends Error {
  readonly status: number;
  readonly errorCode: string;

  constructor(status: number, errorCode: string, message: string) {
    super(message);
    this.name = "MlflowRefusal";
    this.status = status;
    this.errorCode = errorCode;
  }

  toJSON(): { status: number; error_code: string; message: string } {
    return { status: this.status, error_code: this.errorCode, message: this.message };
  }
}

/** Whether `e` is MLflow refusing with this error code (e.g. RESOURCE_DOES_NOT_EXIST). */
export function isRefusal(e: unknown, errorCode?: string): e is MlflowRefusal {
  return e instanceof MlflowRefusal && (errorCode === undefined || e.errorCode === errorCode);
}
