import { dirname } from "node:path";
import { DwError } from "./DwError.js";

/**
 * What the operating system says, for the error codes that describe the machine rather than a
 * fault in dw: who may write where, a read-only or full disk, a file standing where a folder
 * should be. Each gives the message's reason and what to do about it.
 */
const REASONS: Record<string, { reason: string; hint: (path: string, folder: string) => string }> = {
  EACCES: {
    reason: "permission denied",
    hint: (_, folder) =>
      `Make ${folder} and what it holds readable and writable by the user running dw (ls -ld ${folder} shows its owner and mode), or run dw on a copy of the workspace that this user may write to.`,
  },
  EPERM: {
    reason: "operation not permitted",
    hint: (_, folder) =>
      `Something forbids changes in ${folder}: an immutable flag (lsattr -d ${folder}) or another owner (ls -ld ${folder}). Clear it, or run dw on a copy of the workspace that this user may write to.`,
  },
  EROFS: {
    reason: "the file system is read-only",
    hint: () => "Remount that file system read-write, or copy the workspace to a writable disk and run dw there.",
  },
  ENOSPC: {
    reason: "no space left on the device",
    hint: () => "Free some space on that disk (df -h shows how much is left), then run the command again.",
  },
  EDQUOT: {
    reason: "the disk quota is used up",
    hint: () => "Free some space within your quota (quota -s shows it), then run the command again.",
  },
  ENOTDIR: {
    reason: "a part of the path is a file where a folder is expected",
    hint: (path) => `Move aside the file that stands in the path of ${path}, or point dw at the project folder.`,
  },
  EISDIR: {
    reason: "it is a folder where a file is expected",
    hint: (path) => `Move the folder ${path} aside, then run the command again.`,
  },
  EIO: {
    reason: "the disk reported an input/output error",
    hint: () => "Check the disk (dmesg shows the kernel's report) and run the command again.",
  },
};

/** Plain words for the system calls whose errors users meet; other calls are named as they are. */
const ACTIONS: Record<string, string> = {
  open: "open",
  mkdir: "create the folder",
  rmdir: "remove the folder",
  unlink: "delete",
  rename: "move",
  scandir: "list the folder",
  copyfile: "copy",
  write: "write",
  read: "read",
  fsync: "save",
  stat: "look at",
  lstat: "look at",
};

/**
 * A Node.js file-system error that is the machine's condition, not a fault in dw, as a
 * WORKSPACE_ERROR naming the path, the reason and what to do; null for anything else. `where`
 * stands in for the path when the error has none (a write to an open file on a full disk).
 *
 * @example
 * fileSystemError(Object.assign(new Error("EACCES"), { code: "EACCES", syscall: "open", path: "/p/.dw/lock" }))?.message;
 * // "dw cannot open /p/.dw/lock: permission denied."
 */
export function fileSystemError(e: unknown, where?: string): DwError | null {
  if (!(e instanceof Error)) return null;
  const { code, syscall, path: own, dest } = e as NodeJS.ErrnoException & { dest?: string };
  const known = code === undefined ? undefined : REASONS[code];
  const path = typeof own === "string" ? own : where;
  if (!known || path === undefined) return null;
  const verb = syscall ? (ACTIONS[syscall] ?? syscall) : "use";
  const target = typeof own === "string" ? `${own}${typeof dest === "string" ? ` to ${dest}` : ""}` : `a file in ${path}`;
  return new DwError("WORKSPACE_ERROR", `dw cannot ${verb} ${target}: ${known.reason}.`, {
    // A file that cannot be created or replaced is its folder's doing: the hint names the folder.
    hint: known.hint(path, typeof own === "string" ? dirname(own) : path),
    details: { path, error: code, ...(syscall ? { syscall } : {}) },
  });
}
