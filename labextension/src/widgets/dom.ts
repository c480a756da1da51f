/** A tiny DOM builder: text goes through textContent, never innerHTML, since model names and URLs come from the kernel. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; title?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.title) el.title = props.title;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** A button that copies `text` to the clipboard and says so for a moment. */
export function copyButton(text: string, label = "Copy", copy: (text: string) => void): HTMLButtonElement {
  const button = h("button", {
    className: "jp-Button jp-mod-minimal dw-CopyButton",
    title: "Copy to the clipboard",
    text: label,
    attrs: { type: "button" },
  });
  button.addEventListener("click", () => {
    copy(text);
    button.textContent = "Copied";
    window.setTimeout(() => (button.textContent = label), 1500);
  });
  return button;
}
