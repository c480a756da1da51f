import { DW_VERSION } from "../src/index.js";
import { createRequire } from "node:module";
import { PROTOCOL_VERSION } from "./jupyterProtocol/message.js";
import { typescriptVersion } from "./executor.js";

/** kernel_info_reply content, with the real versions of dw, tslab and TypeScript. */
export function kernelInfo(): Record<string, unknown> {
  const dwVersion = DW_VERSION;
  const tslabVersion = (createRequire(import.meta.url)("tslab/package.json") as { version: string }).version;
  const tsVersion = typescriptVersion();
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "dw",
    implementation_version: dwVersion,
    language_info: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { name: "javascript", typescript: true },
      pygments_lexer: "typescript",
    },
    banner: `TypeScript (dw) ${dwVersion}: TypeScript ${tsVersion} on Node ${process.versions.node} via tslab ${tslabVersion}, with %dw magics and the dw object. %dw help lists the tools.`,
    help_links: [],
    debugger: false,
  };
}
