import { z } from "zod";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { getDummyHash, hashPassword, verifyPassword } from "./password.server";
import { ResetPasswordSchema, SignUpSchema } from "./auth.schema";
import { checkPassword } from "./password-policy.server";
import { admitLoginAttempt, recordLoginFailure, recordLoginSuccess } from "./throttle.server";
import { consumeOneTimeToken, hashToken, isTokenUsable, issueOneTimeToken, TOKEN_TTL_MS } from "./tokens.server";

/**
 * Account life: sign-up, e-mail verification, login, password reset. Answers never tell
 * whether an address has an account (sign-up and reset behave the same either way).
 */
const strongPassword = z.string().superRefine((password, ctx) => {
  const problem = checkPassword(password);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The forms' schemas with the password policy, so every problem shows at once, next to its field. */
export const SignUpFormSchema = SignUpSchema.extend({ password: SignUpSchema.shape.password.pipe(strongPassword) });
export const ResetPasswordFormSchema = ResetPasswordSchema.extend({ password: ResetPasswordSchema.shape.password.pipe(strongPassword) });

type Result<E extends string = string> = { ok: true } | { ok: false; field: E | "form"; message: string };

const link = (path: string, token: string) => `${getEnv().APP_URL}${path}?token=${encodeURIComponent(token)}`;
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";

export async function signUp(input: { name: string; email: string; password: string }): Promise<Result<"password">> {
  const problem = checkPassword(input.password, input.email);
  if (problem) return { ok: false, field: "password", message: problem };
  const passwordHash = await hashPassword(input.password);
  try {
    await db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: input.email } });
      if (existing) {
        await enqueueMail(tx, {
          template: "already-registered",
          to: existing.email,
          data: { name: existing.name, loginUrl: `${getEnv().APP_URL}/connexion`, resetUrl: `${getEnv().APP_URL}/mot-de-passe-oublie` },
        });
        return;
      }
      const user = await tx.user.create({
        data: { name: input.name, email: input.email, passwordHash, roles: { create: [{ role: "LEARNER" }] } },
      });
      await sendVerification(tx, user);
    });
  } catch (e) {
    // Two sign-ups with the same address at the same instant: the loser is told the same thing.
    if (!isUniqueViolation(e)) throw e;
  }
  return { ok: true };
}

async function sendVerification(tx: Parameters<typeof enqueueMail>[0], user: { id: string; name: string; email: string }) {
  const token = await issueOneTimeToken(tx, user.id, "EMAIL_VERIFICATION");
  await enqueueMail(tx, { template: "verify-email", to: user.email, data: { name: user.name, url: link("/verification", token) } });
}

/** Marks the address verified; false for an unknown, used or expired link. */
/**
 * A person corrects their own name (already checked by the name rule). Certificates already
 * issued keep the name they were signed with; the next ones carry the new one.
 */
export async function renameOwnAccount(input: { userId: string; name: string; now?: Date }): Promise<void> {
  const { userId, name, now = new Date() } = input;
  await db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } });
    if (before.name === name) return;
    await tx.user.update({ where: { id: userId }, data: { name } });
    await tx.auditLog.create({ data: { actorId: userId, action: "account.renamed", entityType: "User", entityId: userId, data: { from: before.name, to: name }, createdAt: now } });
  });
}

export async function verifyEmail(token: string, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const userId = await consumeOneTimeToken(tx, "EMAIL_VERIFICATION", token, now);
    if (!userId) return false;
    await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: now } });
    return true;
  });
}

export type LoginResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "throttled"; waitSeconds: number }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "unverified" }
  | { ok: false; reason: "deactivated" };

export async function authenticate(input: { email: string; password: string; ip: string }, now = new Date()): Promise<LoginResult> {
  // Counted before the password is checked: parallel attempts cannot all slip through.
  const checkStartedAt = Date.now();
  const admission = await admitLoginAttempt(db, input.ip, input.email, now);
  if (!admission.admitted) return { ok: false, reason: "throttled", waitSeconds: Math.ceil(admission.waitMs / 1000) };
  const user = await db.user.findUnique({ where: { email: input.email } });
  // Same work whether or not the account exists, so response time reveals nothing.
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !valid) {
    await recordLoginFailure(db, input.ip, input.email, new Date(now.getTime() + Date.now() - checkStartedAt));
    return { ok: false, reason: "invalid" };
  }
  await recordLoginSuccess(db, input.ip, input.email);
  // Said only to whoever knows the password: it tells nothing to someone guessing.
  if (user.deactivatedAt) return { ok: false, reason: "deactivated" };
  if (!user.emailVerifiedAt) {
    await db.$transaction((tx) => sendVerification(tx, user));
    return { ok: false, reason: "unverified" };
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
  return { ok: true, userId: user.id };
}

const RESET_RESEND_AFTER_MS = 60_000;

/** Sends a reset link if the address has an account; silently does nothing otherwise. */
export async function requestPasswordReset(email: string, now = new Date()) {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email } });
    if (!user || user.deactivatedAt) return;
    const recent = await tx.oneTimeToken.findFirst({
      where: { userId: user.id, purpose: "PASSWORD_RESET", createdAt: { gt: new Date(now.getTime() - RESET_RESEND_AFTER_MS) } },
    });
    if (recent) return; // a link left a minute ago: no mail bombing
    const token = await issueOneTimeToken(tx, user.id, "PASSWORD_RESET", now);
    await enqueueMail(tx, {
      template: "reset-password",
      to: user.email,
      data: { name: user.name, url: link("/reinitialiser-mot-de-passe", token), expiresInMinutes: TOKEN_TTL_MS.PASSWORD_RESET / 60_000 },
    });
  });
}

export const isResetLinkUsable = (token: string) => isTokenUsable(db, "PASSWORD_RESET", token);

/**
 * Sets a password from a one-time link: the link is used up, every open session of the
 * account ends, and the mailbox is proven (the link came through it), so it is verified.
 * A deactivated account is refused. `then` runs in the same transaction (a mail).
 */
async function setPasswordFromLink(
  purpose: "PASSWORD_RESET" | "ACCOUNT_SETUP",
  input: { token: string; password: string },
  now: Date,
  options: { unusable: string; then?: (tx: Tx, user: { email: string; name: string }) => Promise<unknown> },
): Promise<Result<"password">> {
  const owner = await db.oneTimeToken.findUnique({
    where: { tokenHash: hashToken(input.token) },
    select: { user: { select: { email: true } } },
  });
  const problem = checkPassword(input.password, owner?.user.email);
  if (problem) return { ok: false, field: "password", message: problem };
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const userId = await consumeOneTimeToken(tx, purpose, input.token, now);
    if (!userId) return { ok: false, field: "form", message: options.unusable } as const;
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    if (before.deactivatedAt) return { ok: false, field: "form", message: DEACTIVATED_MESSAGE } as const;
    const user = await tx.user.update({ where: { id: userId }, data: { passwordHash, emailVerifiedAt: before.emailVerifiedAt ?? now } });
    await tx.authSession.deleteMany({ where: { userId } });
    await options.then?.(tx, user);
    return { ok: true } as const;
  });
}

/** Sets a new password from a reset link; the owner is told by mail. */
export const resetPassword = (input: { token: string; password: string }, now = new Date()) =>
  setPasswordFromLink("PASSWORD_RESET", input, now, {
    unusable: "Ce lien n'est plus valable : il a déjà servi ou a expiré. Demandez-en un nouveau.",
    then: (tx, user) => enqueueMail(tx, { template: "password-changed", to: user.email, data: { name: user.name } }),
  });

export const isSetupLinkUsable = (token: string) => isTokenUsable(db, "ACCOUNT_SETUP", token);

/** Sets the first password of an account opened by staff (or by `npm run admin:create`) from the link mailed or printed. */
export const setUpAccount = (input: { token: string; password: string }, now = new Date()) =>
  setPasswordFromLink("ACCOUNT_SETUP", input, now, {
    unusable: "Ce lien n'est plus valable : il a déjà servi ou a expiré. Demandez-en un nouveau à l'équipe Maillon.",
  });

export const DEACTIVATED_MESSAGE =
  "Ce compte est désactivé : il n'est plus possible de s'y connecter. Si vous pensez qu'il s'agit d'une erreur, écrivez-nous depuis la page Contact.";
