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

export type SessionRef = { sessionId: string; userId: string; actingStructureId: string | null };

/**
 * The live session of this request, in one query and without the person's details: what a
 * hot action that checks its own permissions needs (recharge issuing). Ends an expired
 * session, and records activity at most every TOUCH_EVERY_MS.
 */
export async function getSession(request: Request, now = new Date()): Promise<SessionRef | null> {
  const token = await readToken(request);
  if (!token) return null;
  const session = await db.authSession.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, userId: true, actingStructureId: true, expiresAt: true, lastSeenAt: true },
  });
  if (!session) return null;
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > IDLE_MS) {
    await db.authSession.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.authSession.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return { sessionId: session.id, userId: session.userId, actingStructureId: session.actingStructureId };
}

export async function requireSession(request: Request): Promise<SessionRef> {
  const session = await getSession(request);
  if (!session) throw loginRedirect(request);
  return session;
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
  if (!user) return null;
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

function loginRedirect(request: Request) {
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
