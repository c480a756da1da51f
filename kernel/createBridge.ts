import type { ToolDef } from "../src/index.js";
import type { ToolCaller } from "./createToolCaller.js";
import { chartBundle, toolResultBundle, type MimeBundle } from "./display.js";
import { BRIDGE_VARIABLE, createDwObject, type DwObject } from "./dwObject.js";
import { createMagicRouter, type MagicRouter } from "./magic/createMagicRouter.js";
import { outputOrThrow } from "./outputOrThrow.js";

/** What the cells reach through the prelude: the `dw` object and the router the `%dw` statements call. */
export interface KernelBridge {
  dw: DwObject;
  router: MagicRouter;
}

export interface BridgeDeps {
  tools: readonly ToolDef[];
  caller: ToolCaller;
  /** The variables the cells have declared (the executor's locals). */
  locals(): Readonly<Record<string, unknown>>;
  /** Shows a MIME bundle in the running cell. */
  display(bundle: MimeBundle): void;
}

/** Names the prelude declares, which a magic value never refers to. */
const KERNEL_NAMES = new Set(["dw", BRIDGE_VARIABLE, "tsLastExpr"]);

/**
 * The kernel's two ways into the tools, wired as the kernel runs them: a `%dw` line calls the tool
 * through the caller (run origin, progress, sidebar refresh), shows the result (and a chart, if
 * the output has one) and returns the output, or throws the tool's error as a DwError; help is
 * shown as text. startKernel.ts uses this, and so do the tests that run magics without a Jupyter client.
 */
export function createBridge(deps: BridgeDeps): KernelBridge {
  const router = createMagicRouter({
    tools: deps.tools,
    scope: () => Object.fromEntries(Object.entries(deps.locals()).filter(([name]) => !KERNEL_NAMES.has(name))),
    async callTool(name, input, site) {
      const result = await deps.caller.call(name, input, { site });
      const output = outputOrThrow(result);
      deps.display(toolResultBundle(result.tool, output));
      const chart = chartBundle(output);
      if (chart) deps.display(chart);
      return output;
    },
    showHelp: (text) => deps.display({ "text/plain": text }),
  });
  return { dw: createDwObject(deps.tools, deps.caller), router };
}
