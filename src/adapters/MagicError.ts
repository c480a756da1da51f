/**
 * Errors meant for people: their message says everything, so an adapter shows them as name and
 * message only, with no JavaScript stack (the kernel as a cell error, the CLI as a usage error).
 */
export const USER_FACING = Symbol.for("dw.adapters.userFacing");

/**
 * A call written in the flag syntax that cannot become a tool's input: an unknown flag, a value of
 * the wrong type, a quote left open. The message names what was wrong and what is expected.
 */
export class MagicError extends Error {
  override readonly name = "MagicError";
  readonly [USER_FACING] = true;
}
