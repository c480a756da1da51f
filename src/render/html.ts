/** Small HTML building blocks shared by the tool renderers. Every value passed through `esc`. */
export type Renderer = (o: Record<string, unknown>) => string;

export function title(main: string, sub: string): string {
  return `<div><strong>${main}</strong></div><div style="opacity: 0.75; margin-bottom: 4px">${sub}</div>`;
}

export function section(text: string): string {
  return `<div style="margin-top: 8px"><strong>${esc(text)}</strong></div>`;
}

export function note(text: string): string {
  return `<div style="opacity: 0.6; margin-top: 4px"><code>${text}</code></div>`;
}

export function kv(rows: [string, string][]): string {
  return `<table style="border-collapse: collapse">${rows.map(([k, v]) => `<tr><th style="text-align: left; padding: 1px 12px 1px 0; font-weight: 600">${esc(k)}</th><td style="text-align: left">${v}</td></tr>`).join("")}</table>`;
}

export function table(header: string[], rows: string[][], firstRowIsTypes = false): string {
  const head = `<tr>${header.map((h) => `<th style="text-align: left; padding: 1px 8px">${esc(h)}</th>`).join("")}</tr>`;
  const body = rows
    .map(
      (r, i) =>
        `<tr${firstRowIsTypes && i === 0 ? ' style="opacity: 0.7"' : ""}>${r.map((c) => `<td style="text-align: left; padding: 1px 8px">${c}</td>`).join("")}</tr>`,
    )
    .join("");
  return `<table style="border-collapse: collapse">${head}${body}</table>`;
}

export function esc(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function num(v: unknown): string {
  return typeof v === "number" ? v.toLocaleString("en-US") : esc(v);
}

export function fmt(v: unknown): string {
  if (typeof v !== "number") return esc(v);
  if (v === 0) return "0";
  return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}
