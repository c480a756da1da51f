import { CommandIds } from "../../commandIds.js";
import { ShareSection } from "../ShareSection.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";

/** The Team registry panel: Push and Pull of refs/dw/* to a remote (ShareSection), run through the share commands, which confirm a resolution first. */
export class TeamPanel implements SidebarPanel {
  readonly id = "team";
  readonly label: string;
  readonly node: HTMLElement;
  private readonly share: ShareSection;

  constructor(private readonly ctx: PanelContext) {
    this.label = ctx.trans.__("Team registry");
    this.share = new ShareSection(({ action, remote, take }) => {
      void ctx.execute(action === "push" ? CommandIds.pushRegistry : CommandIds.pullRegistry, { remote, ...(take ? { take } : {}) });
    });
    this.node = this.share.node;
  }

  update(): void {
    this.share.update(this.ctx.client.connection.kind === "connected", this.ctx.client.sharing);
  }

  dispose(): void {
    this.node.replaceChildren();
  }
}
