/**
 * HTML built so that data cannot become markup: `html` escapes every interpolated value unless
 * it is already `Html` (the result of another `html`, or of `raw` for a fragment the caller
 * vouches for). Tool outputs carry names, notes and values a user or a teammate typed, so a
 * renderer that forgot one escape would let them write into the notebook's page.
 *
 * @example
 * html`<code>${"a<b"}</code>`.text; // "<code>a&lt;b</code>"
 * html`<div>${raw("<br>")}</div>`.text; // "<div><br></div>"
 */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: markup as it is, text and numbers escaped, nothing for null and undefined, lists joined. */
export type HtmlValue = Html | string | number | null | undefined | readonly HtmlValue[];

/** The tagged template: the literal parts are trusted markup, every value is escaped unless it is `Html`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += fragment(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup the caller vouches for (built from constants, never from data), put in as it is. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** `items` as one fragment, each escaped unless it is `Html`, with `separator` (text) between them. */
export function joinHtml(items: readonly HtmlValue[], separator: string): Html {
  return new Html(items.map(fragment).join(escapeHtml(separator)));
}

/** Text with the five characters that mean something in HTML (and in a quoted attribute) replaced by entities. */
export function escapeHtml(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? "" : String(value);
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function fragment(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (typeof value === "object" && value !== null) return value.map(fragment).join("");
  return escapeHtml(value);
}
