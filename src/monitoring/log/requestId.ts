/**
 * What a request id may be: 1 to 128 of letters, digits, '.', '_', ':' and '-'. A client's
 * X-Request-Id of that shape is kept (so its own ids join its logs with dw's); any other is
 * replaced, so the log and the answer never carry text a client chose freely.
 */
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether `v` is a request id (or an A/B assignment key, which follows the same rule). */
export function isRequestId(v: unknown): v is string {
  return typeof v === "string" && REQUEST_ID.test(v);
}
