import { createCookie, redirect } from "@remix-run/node";
import type { Role } from "~/generated/sqlite/enums";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { hashToken, newToken } from "./tokens.server";

/**
 * Server-side sessions. The cookie carries a random token; the database keeps its hash,
 * so a stolen database does not give live sessions. Sessions end after IDLE_MS without
 * activity or ABSOLUTE_MS after login, whichever comes first, and are deleted at logout.
 */
export const IDLE_MS = 2 * 3600_000;
export const ABSOLUTE_MS = 12 * 3600_000;
const TOUCH_EVERY_MS = 5 * 60_000;

const sessionCookie = () => {
  const env = getEnv();
  return createCookie("maillon_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    // Secure in production; on plain http (the local quick start) the browser would drop it.
    secure: env.NODE_ENV === "production" && env.APP_URL.startsWith("https:"),
  });
};

export type CurrentUser = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  memberships: { structureId: string; structureName: string; role: "MEMBER" | "REFERENT"; relayStatus: string | null }[];
  isReferent: boolean;
  sessionId: string;
};

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** Starts a new session (a fresh token at each login: session fixation is impossible). */
export async function createUserSession(userId: string, request: Request, now = new Date()) {
  const previous = await readToken(request);
  if (previous) await db.authSession.deleteMany({ where: { tokenHash: hashToken(previous) } });
  const token = newToken();
  await db.authSession.create({
    data: { userId, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + ABSOLUTE_MS), lastSeenAt: now },
  });
  return sessionCookie().serialize(token, { maxAge: ABSOLUTE_MS / 1000 });
}

type SessionRef = { sessionId: string; userId: string; actingStructureId: string | null };

/** The live session of this request, without the person's details. */
async function getSession(request: Request, now = new Date()): Promise<SessionRef | null> {
  const tokenHash = await sessionTokenHash(request);
  if (!tokenHash) return null;
  const session = await db.authSession.findUnique({
    where: { tokenHash },
    select: { id: true, userId: true, actingStructureId: true, expiresAt: true, lastSeenAt: true },
  });
  if (!session || !(await keepSessionAlive(session, now))) return null;
  return { sessionId: session.id, userId: session.userId, actingStructureId: session.actingStructureId };
}

/** The key under which this request's session is stored, or null without a session cookie. */
export async function sessionTokenHash(request: Request): Promise<string | null> {
  const token = await readToken(request);
  return token ? hashToken(token) : null;
}

/** Whether a stored session is live at `now`: an expired one is ended; activity is recorded at most every TOUCH_EVERY_MS. */
export async function keepSessionAlive(session: { id: string; expiresAt: Date; lastSeenAt: Date }, now: Date): Promise<boolean> {
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > IDLE_MS) {
    await db.authSession.deleteMany({ where: { id: session.id } });
    return false;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.authSession.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return true;
}

export async function getOptionalUser(request: Request, now = new Date()): Promise<CurrentUser | null> {
  const session = await getSession(request, now);
  if (!session) return null;
  const user = await db.user.findUnique({
    where: { id: session.userId },
    include: {
      roles: true,
      memberships: { include: { structure: { select: { name: true, relay: { select: { status: true } } } } } },
    },
  });
  if (!user || user.deactivatedAt) return null;
  const memberships = user.memberships.map((m) => ({
    structureId: m.structureId,
    structureName: m.structure.name,
    role: m.role,
    relayStatus: m.structure.relay?.status ?? null,
  }));
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles.map((r) => r.role),
    memberships,
    isReferent: memberships.some((m) => m.role === "REFERENT"),
    sessionId: session.sessionId,
  };
}

export function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
  return redirect(`/connexion?${params}`);
}

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getOptionalUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

/** Where to go after login: only a path on this site (no open redirect). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/mon-espace") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** Ends the session on the server and clears the cookie. */
export async function destroyUserSession(request: Request) {
  const token = await readToken(request);
  if (token) await db.authSession.deleteMany({ where: { tokenHash: hashToken(token) } });
  return sessionCookie().serialize("", { maxAge: 0 });
}
