/** What `.dw/server.json` holds about the workspace's running `dw serve`. */
export interface ServerInfo {
  pid: number;
  host: string;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  workspace: string;
  started_at: string;
  version: string;
}
