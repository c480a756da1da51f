import type { TranslationBundle } from "@jupyterlab/translation";
import { h } from "../dom.js";

/** A green or grey dot with its meaning in words for screen readers. */
export function statusDot(live: boolean, trans: TranslationBundle): HTMLElement {
  const text = live ? trans.__("live") : trans.__("not live");
  return h("span", { className: `dw-StatusDot ${live ? "dw-mod-live" : "dw-mod-down"}`, title: text, attrs: { role: "img", "aria-label": text } });
}
