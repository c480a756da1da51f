import type { Html } from "../../render/html.js";
import type { OutputOf } from "../defineTool.js";
import type { productionize } from "../productionize.js";
import { renderEndpoint } from "./endpoint.js";

/** The run's alias now live, its URLs and a curl to paste. */
export function renderProductionize(o: OutputOf<typeof productionize>): Html {
  return renderEndpoint(o);
}
