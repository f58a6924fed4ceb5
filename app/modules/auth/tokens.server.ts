import { createHash, randomBytes } from "node:crypto";
import type { TokenPurpose } from "~/generated/sqlite/enums";
import type { Db, Tx } from "~/utils/db.server";

/** 256-bit random tokens for links; only their SHA-256 is stored. */
export const newToken = () => randomBytes(32).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  EMAIL_VERIFICATION: 48 * 3600_000,
  PASSWORD_RESET: 30 * 60_000,
  ACCOUNT_SETUP: 7 * 24 * 3600_000,
};

/** Issues a link token; any older unused token of the same purpose stops working. */
export async function issueOneTimeToken(tx: Tx | Db, userId: string, purpose: TokenPurpose, now = new Date()) {
  await tx.oneTimeToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } });
  const token = newToken();
  await tx.oneTimeToken.create({
    data: { userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]) },
  });
  return token;
}

/**
 * Uses a token once: a single conditional update marks it used, so two concurrent clicks
 * cannot both succeed. Returns the user id, or null for an unknown, used or expired token.
 */
export async function consumeOneTimeToken(tx: Tx | Db, purpose: TokenPurpose, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const { count } = await tx.oneTimeToken.updateMany({
    where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return null;
  const row = await tx.oneTimeToken.findUnique({ where: { tokenHash }, select: { userId: true } });
  return row?.userId ?? null;
}

/** Whether a token is still usable, without using it (to show the reset form). */
export async function isTokenUsable(db: Db, purpose: TokenPurpose, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const row = await db.oneTimeToken.findUnique({ where: { tokenHash: hashToken(token) } });
  return !!row && row.purpose === purpose && !row.usedAt && row.expiresAt > now;
}
