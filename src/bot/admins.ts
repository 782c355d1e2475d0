/**
 * Who the admins are: the profile middleware (a ban does not stop an admin) and the admin
 * feature both ask.
 *
 * @module
 */
import { type Config } from "../config.ts";

/**
 * Whether a user may use the admin commands: listed in `ADMIN_USER_IDS`, never a local user.
 *
 * @example
 * ```ts
 * if (isAdminUser(services.config, ctx.turn.userId, ctx.turn.local)) showFigures();
 * ```
 */
export function isAdminUser(
  config: Pick<Config, "adminUserIds">,
  userId: number | null,
  local: boolean,
): boolean {
  return userId !== null && !local && config.adminUserIds.includes(userId);
}
