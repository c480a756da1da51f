import { copyFileSync, statSync, truncateSync } from "node:fs";

/** Largest `.dw/server.log` before it is rotated to `server.log.1` (the one before is dropped). */
export const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * The server's log: one timestamped line per event on stderr. When stderr is the workspace's log
 * file (as `ensureServer` starts the server, with `--log-file`), the file is rotated once it
 * passes `maxBytes`: copied to `<file>.1` and truncated in place, so the descriptor the process
 * inherited keeps writing at the start of the fresh file (logrotate's copytruncate).
 */
export function createServerLog(options: { file?: string; maxBytes?: number; write?: (text: string) => void } = {}): (line: string) => void {
  const maxBytes = options.maxBytes ?? MAX_LOG_BYTES;
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  return (line: string) => {
    write(`${new Date().toISOString()} ${line}\n`);
    if (!options.file) return;
    try {
      if (statSync(options.file).size > maxBytes) {
        copyFileSync(options.file, `${options.file}.1`);
        truncateSync(options.file, 0);
      }
    } catch {
      // A log that cannot be rotated must not take the server down.
    }
  };
}
