import type { TranslationBundle } from "@jupyterlab/translation";
import { FormComponent, ReactWidget } from "@jupyterlab/ui-components";
import type { ReadonlyJSONObject } from "@lumino/coreutils";
import type { RJSFSchema, ValidatorType } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import * as React from "react";
import type { JsonSchemaNode } from "./toolsView.js";

/**
 * A tool's input as a form, generated from its JSON Schema by JupyterLab's own FormComponent (the
 * rjsf form of the Settings Editor, in JupyterLab's look, themes and translations). It keeps what
 * the user typed across the sidebar's redraws: the panel keeps this widget and never re-creates
 * it while the same tool is selected.
 */
export class ToolForm extends ReactWidget {
  private data: Record<string, unknown> = {};
  private readonly naming: MutationObserver;

  constructor(
    private readonly schema: JsonSchemaNode,
    trans: TranslationBundle,
  ) {
    super();
    this.addClass("dw-Tools-form");
    this.node.setAttribute("aria-label", trans.__("Input"));
    // JupyterLab's form templates show each field's title in a <div>, not a <label>, so a screen
    // reader would read the inputs without a name: name each control after its field's title.
    this.naming = new MutationObserver(() => nameControls(this.node));
    this.naming.observe(this.node, { childList: true, subtree: true });
  }

  override dispose(): void {
    this.naming.disconnect();
    super.dispose();
  }

  /** What the form holds now (rjsf's formData). */
  get formData(): Readonly<Record<string, unknown>> {
    return this.data;
  }

  protected render(): React.ReactElement {
    return React.createElement(FormComponent, {
      schema: this.schema as RJSFSchema,
      formData: this.data as ReadonlyJSONObject,
      // The rjsf types are generic in the form data; ajv8 checks any JSON.
      validator: validator as unknown as ValidatorType<ReadonlyJSONObject>,
      compact: true,
      onChange: (e: { formData?: unknown }) => {
        this.data = (e.formData ?? {}) as Record<string, unknown>;
        this.update();
      },
    });
  }
}

/** Gives every unnamed input, select and text area under `root` an aria-label: its field's title, else its path in the form (root_features_0 → features 1). */
function nameControls(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>("input, select, textarea")) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || (el.labels && el.labels.length > 0)) continue;
    const group = el.closest(".jp-FormGroup-content");
    const title = group
      ?.querySelector(":scope > .jp-FormGroup-compactTitle > .jp-FormGroup-fieldLabel, :scope > .jp-FormGroup-fieldLabel")
      ?.textContent?.trim();
    const path = el.id
      .replace(/^root_?/, "")
      .split("_")
      .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part))
      .join(" ");
    const name = title || path;
    if (name) el.setAttribute("aria-label", name);
  }
}
