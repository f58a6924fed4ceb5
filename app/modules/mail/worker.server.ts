import { getDb, type Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { decideRetry } from "./backoff";
import { readStoredAttachments } from "./outbox.server";
import { getMailTransport, type MailTransport } from "./transport.server";

/**
 * Sends what the outbox holds. Any number of workers (processes, or overlapping runs) may
 * run at once: each mail is claimed by one conditional update before it is sent, so only
 * the worker whose update matched sends it.
 */

/** How long a claim lasts. Longer than a send can take (see SMTP_TIMEOUTS); a worker that
 * died mid-send leaves its mail to be picked up again once the claim lapses. */
const CLAIM_DURATION_MS = 5 * 60_000;
const DEFAULT_BATCH_SIZE = 20;
const LAST_ERROR_MAX_LENGTH = 500;

export type ProcessOutboxOptions = { db?: Db; transport?: MailTransport; now?: Date; batchSize?: number };
export type ProcessOutboxResult = { sent: number; retried: number; failed: number };

/** The Message-ID every attempt of one outbox row carries, so receivers can spot a duplicate. */
export const outboxMessageId = (id: string) => `<outbox-${id}@maillon>`;

const dueWhere = (now: Date) => ({
  status: "PENDING" as const,
  nextAttemptAt: { lte: now },
  OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
});

export async function processOutboxOnce(options: ProcessOutboxOptions = {}): Promise<ProcessOutboxResult> {
  const db = options.db ?? getDb();
  const transport = options.transport ?? getMailTransport();
  const clock = () => options.now ?? new Date();
  const result: ProcessOutboxResult = { sent: 0, retried: 0, failed: 0 };

  const candidates = await db.outboxMail.findMany({
    where: dueWhere(clock()),
    orderBy: { nextAttemptAt: "asc" },
    take: options.batchSize ?? DEFAULT_BATCH_SIZE,
    select: { id: true },
  });

  for (const { id } of candidates) {
    const now = clock();
    const lockedUntil = new Date(now.getTime() + CLAIM_DURATION_MS);
    const claim = await db.outboxMail.updateMany({ where: { id, ...dueWhere(now) }, data: { lockedUntil } });
    if (claim.count !== 1) continue; // another worker got it first

    const mail = await db.outboxMail.findUniqueOrThrow({ where: { id } });
    // Every later write checks the claim is still ours (not lapsed and taken by another worker).
    const stillOurs = { id, status: "PENDING" as const, lockedUntil };
    try {
      await transport.sendMail({
        messageId: outboxMessageId(mail.id),
        from: getEnv().MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: readStoredAttachments(mail.attachments),
      });
    } catch (error) {
      const attempts = mail.attempts + 1;
      const lastError = describeError(error);
      const decision = decideRetry(attempts, clock());
      await db.outboxMail.updateMany({
        where: stillOurs,
        data: decision.giveUp
          ? { status: "FAILED", attempts, lastError, lockedUntil: null }
          : { attempts, lastError, lockedUntil: null, nextAttemptAt: decision.nextAttemptAt },
      });
      const fields = { mailId: mail.id, template: mail.template, attempts, error: lastError };
      if (decision.giveUp) {
        result.failed++;
        logger.error("mail.failed", fields);
      } else {
        result.retried++;
        logger.warn("mail.retry_scheduled", { ...fields, nextAttemptAt: decision.nextAttemptAt.toISOString() });
      }
      continue;
    }
    await db.outboxMail.updateMany({
      where: stillOurs,
      data: { status: "SENT", sentAt: clock(), attempts: mail.attempts + 1, lockedUntil: null, lastError: null },
    });
    result.sent++;
    logger.info("mail.sent", { mailId: mail.id, template: mail.template, attempts: mail.attempts + 1 });
  }
  return result;
}

// SMTP replies often quote the recipient ("550 <camille@…>: unknown user"): kept for
// staff, the error must not carry the address.
const EMAIL_ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

function describeError(error: unknown): string {
  const { code, responseCode, message } = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const parts = [code, responseCode, typeof message === "string" ? message : String(error)].filter((p) => p !== undefined && p !== "");
  return parts.join(" ").replace(EMAIL_ADDRESS, "[adresse masquée]").slice(0, LAST_ERROR_MAX_LENGTH);
}

export type OutboxStats = Record<"PENDING" | "SENT" | "FAILED", number>;

export async function outboxStats(db: Db = getDb()): Promise<OutboxStats> {
  const groups = await db.outboxMail.groupBy({ by: ["status"], _count: { _all: true } });
  const stats: OutboxStats = { PENDING: 0, SENT: 0, FAILED: 0 };
  for (const g of groups) stats[g.status] = g._count._all;
  return stats;
}
