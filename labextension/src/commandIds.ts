/** Command ids of the dw extension; the toolbar schema refers to them by value. */
export const CommandIds = {
  productionize: "dw:productionize",
  openSidebar: "dw:open-sidebar",
  refresh: "dw:refresh",
  showPanel: "dw:show-panel",
  retrain: "dw:retrain-model",
  pushRegistry: "dw:push-registry",
  pullRegistry: "dw:pull-registry",
  insertMagic: "dw:insert-magic",
  openRunCell: "dw:open-run-cell",
} as const;
