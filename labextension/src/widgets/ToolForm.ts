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

  constructor(
    private readonly schema: JsonSchemaNode,
    trans: TranslationBundle,
  ) {
    super();
    this.addClass("dw-Tools-form");
    this.node.setAttribute("aria-label", trans.__("Input"));
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
