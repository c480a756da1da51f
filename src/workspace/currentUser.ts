import { userInfo } from "node:os";

/** Who is acting, from the environment alone: DW_USER, else git's author name, else the OS account. */
export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.DW_USER || env.GIT_AUTHOR_NAME || env.USER || env.LOGNAME;
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
