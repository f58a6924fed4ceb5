import { can, hasRole, type Action, type PermissionTarget, type Role } from "./permissions.rules";
import { requireUser, type CurrentUser } from "./session.server";

/**
 * The one way routes check access. Anonymous visitors are sent to the login page (and
 * brought back afterwards); a logged-in person without the right gets a 403 page.
 */
export const FORBIDDEN_MESSAGE = "Vous n'avez pas accès à cette page.";

export const forbidden = (message = FORBIDDEN_MESSAGE) => new Response(message, { status: 403 });

export async function requireRole(request: Request, role: Role): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!hasRole(user, role)) throw forbidden();
  return user;
}

export async function requirePermission(request: Request, action: Action, target?: PermissionTarget): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!can(user, action, target)) throw forbidden();
  return user;
}
