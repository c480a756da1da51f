import { html, raw, type Html, type HtmlValue } from "./html.js";

/**
 * The building blocks the tool renderers share: a heading, sections, key-value and plain tables,
 * numbers. Text arguments are escaped like any `html` value; pass `Html` for markup.
 */

/** A bold first line and a dimmed second line. */
export function title(main: HtmlValue, sub: HtmlValue): Html {
  return html`<div><strong>${main}</strong></div><div style="opacity: 0.75; margin-bottom: 4px">${sub}</div>`;
}

/** A bold sub-heading. */
export function section(text: string): Html {
  return html`<div style="margin-top: 8px"><strong>${text}</strong></div>`;
}

/** A dimmed line of code, such as the git command that shows what a call wrote. */
export function note(text: HtmlValue): Html {
  return html`<div style="opacity: 0.6; margin-top: 4px"><code>${text}</code></div>`;
}

/** A two-column table: a bold name, then its value. */
export function kv(rows: readonly (readonly [string, HtmlValue])[]): Html {
  return html`<table style="border-collapse: collapse">${rows.map(
    ([k, v]) => html`<tr><th style="text-align: left; padding: 1px 12px 1px 0; font-weight: 600">${k}</th><td style="text-align: left">${v}</td></tr>`,
  )}</table>`;
}

/** A table with a header row; with `firstRowIsTypes`, the first body row (the column types) is dimmed. */
export function table(header: readonly HtmlValue[], rows: readonly (readonly HtmlValue[])[], firstRowIsTypes = false): Html {
  const head = html`<tr>${header.map((h) => html`<th style="text-align: left; padding: 1px 8px">${h}</th>`)}</tr>`;
  const body = rows.map(
    (r, i) =>
      html`<tr${firstRowIsTypes && i === 0 ? raw(' style="opacity: 0.7"') : ""}>${r.map((c) => html`<td style="text-align: left; padding: 1px 8px">${c}</td>`)}</tr>`,
  );
  return html`<table style="border-collapse: collapse">${head}${body}</table>`;
}

/** A count with thousands separators (1,234); anything else as text. */
export function num(v: number | string | null | undefined): Html {
  return typeof v === "number" ? html`${v.toLocaleString("en-US")}` : html`${v}`;
}

/** A measurement to five significant digits, very large or small ones in exponent form; anything else as text. */
export function fmt(v: number | string | null | undefined): Html {
  if (typeof v !== "number") return html`${v}`;
  if (v === 0) return raw("0");
  return html`${Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(Number(v.toPrecision(5)))}`;
}

/** A value of no known type (a hyperparameter, a field of a model summary) as `String` writes it; nothing for null and undefined. */
export function plain(v: unknown): string {
  return v === null || v === undefined ? "" : String(v);
}
