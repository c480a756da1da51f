import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { clientPlugin } from "./plugins/client.js";
import { insertMagicPlugin } from "./plugins/insertMagic.js";
import { notebookSnapshotPlugin } from "./plugins/notebookSnapshot.js";
import { openRunCellPlugin } from "./plugins/openRunCell.js";
import { productionizePlugin } from "./plugins/productionize.js";
import { retrainPlugin } from "./plugins/retrain.js";
import { sharePlugin } from "./plugins/share.js";
import { sidebarPlugin } from "./plugins/sidebar.js";

// JupyterLab loads an extension from its default export.
const plugins: JupyterFrontEndPlugin<unknown>[] = [
  clientPlugin,
  sidebarPlugin,
  productionizePlugin,
  retrainPlugin,
  sharePlugin,
  openRunCellPlugin,
  insertMagicPlugin,
  notebookSnapshotPlugin,
];
export default plugins;
