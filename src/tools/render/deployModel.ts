import type { Html } from "../../render/html.js";
import type { OutputOf } from "../defineTool.js";
import type { deployModel } from "../deployModel.js";
import { renderEndpoint } from "./endpoint.js";

/** The alias now live, its URLs and a curl to paste, and the drift monitoring that started with it. */
export function renderDeployModel(o: OutputOf<typeof deployModel>): Html {
  return renderEndpoint(o);
}
