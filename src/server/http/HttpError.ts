/** An answer to a client's mistake (or an over-limit request): a status and a JSON body `{error_code, message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Extra response headers, e.g. Retry-After or WWW-Authenticate. */
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.error ?? status));
  }
}

/** The client went away before the request was read: nothing to answer, and nothing wrong with dw. */
export class ClientGone extends Error {}

export const badRequest = (message: string) => new HttpError(400, { error_code: "BAD_REQUEST", message });
export const notFound = (message: string) => new HttpError(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message });
export const methodNotAllowed = (allow: string) =>
  new HttpError(405, { error_code: "BAD_REQUEST", message: `This path accepts ${allow} only.` }, { Allow: allow });
