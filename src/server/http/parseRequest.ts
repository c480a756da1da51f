import { badRequest } from "./HttpError.js";

/** A percent-decoded path segment; malformed encoding is a 400 naming which segment. */
export function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The ${what} in the path has malformed percent-encoding.`);
  }
}

/** The JSON request body; a syntax error is a 400 naming the character, never the text. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw badRequest(`The request body is not valid JSON${at ? ` (at character ${at[1]})` : ""}.`);
  }
}
