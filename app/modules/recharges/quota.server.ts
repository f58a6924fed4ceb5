import { db, type Tx } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";
import { isRetryable } from "../enrolment/enrolment.server";
import { mistakeDeclarerRefusal, mistakeRefusal } from "./issuing.rules";
import { issueReader } from "./issuing.server";
import { moveRefusal, nextPeriod, QUOTA_REASON_MIN_LENGTH } from "./quota.rules";
import { timeOrderedId } from "~/utils/ids.server";

/**
 * Quotas: every change is a ledger row written in the same transaction as the conditional
 * update of the balance it explains. Nothing here reads a balance and writes it back.
 */

type Done = { ok: true } | { ok: false; message: string };

async function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, { maxWait: 15_000, timeout: 20_000 });
    } catch (error) {
      const unique = (error as { code?: unknown }).code === "P2002";
      if (attempt >= 6 || !(unique || isRetryable(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 10 + Math.random() * 30));
    }
  }
}

class Refused extends Error {}

/** Adds `units` to a balance, creating the row when it is the first movement of that month. */
async function credit(tx: Tx, key: { relayId: string; productId: string; period: string }, units: number) {
  await tx.quotaBalance.upsert({
    where: { relayId_productId_period: key },
    create: { ...key, balance: units },
    update: { balance: { increment: units } },
  });
}

/** Takes `units` from a balance only if it holds them. */
async function debit(tx: Tx, key: { relayId: string; productId: string; period: string }, units: number): Promise<boolean> {
  const r = await tx.quotaBalance.updateMany({ where: { ...key, balance: { gte: units } }, data: { balance: { decrement: units } } });
  return r.count === 1;
}

async function requireActiveRelay(tx: Tx, relayId: string) {
  const relay = await tx.relay.findUnique({ where: { id: relayId }, select: { status: true } });
  if (relay?.status !== "ACTIVE") throw new Refused("Les quotas ne s'attribuent qu'aux relais actifs.");
}

export async function allocateQuota(input: { relayId: string; productId: string; period: string; units: number; actorId: string; reason?: string | null }): Promise<Done> {
  try {
    await inTransaction(async (tx) => {
      await requireActiveRelay(tx, input.relayId);
      const key = { relayId: input.relayId, productId: input.productId, period: input.period };
      await credit(tx, key, input.units);
      await tx.quotaLedgerEntry.create({ data: { id: timeOrderedId(), ...key, kind: "ALLOCATION", delta: input.units, reason: input.reason || null, actorId: input.actorId } });
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, message: error.message };
    throw error;
  }
}

/** Carries what is left of `fromPeriod` into the next month: only when staff decide so. */
export async function carryOverQuota(input: { relayId: string; productId: string; fromPeriod: string; actorId: string }): Promise<{ ok: true; units: number } | { ok: false; message: string }> {
  try {
    const units = await inTransaction(async (tx) => {
      await requireActiveRelay(tx, input.relayId);
      const from = { relayId: input.relayId, productId: input.productId, period: input.fromPeriod };
      const left = (await tx.quotaBalance.findUnique({ where: { relayId_productId_period: from }, select: { balance: true } }))?.balance ?? 0;
      if (left < 1) throw new Refused("Il ne reste rien à reporter pour ce mois.");
      // The exact amount read is taken, or nothing: an issue in between makes this retry.
      const taken = await tx.quotaBalance.updateMany({ where: { ...from, balance: left }, data: { balance: 0 } });
      if (taken.count !== 1) throw Object.assign(new Error("could not serialize: balance changed"), { code: "40001" });
      const to = { ...from, period: nextPeriod(input.fromPeriod) };
      await credit(tx, to, left);
      const reason = `Report de ${input.fromPeriod} vers ${to.period}`;
      await tx.quotaLedgerEntry.create({ data: { id: timeOrderedId(), ...from, kind: "CARRY_OVER", delta: -left, reason, actorId: input.actorId } });
      await tx.quotaLedgerEntry.create({ data: { id: timeOrderedId(), ...to, kind: "CARRY_OVER", delta: left, reason, actorId: input.actorId } });
      return left;
    });
    return { ok: true, units };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, message: error.message };
    throw error;
  }
}

export async function moveQuota(input: {
  fromRelayId: string;
  toRelayId: string;
  productId: string;
  period: string;
  units: number;
  reason: string;
  actorId: string;
}): Promise<Done> {
  try {
    await inTransaction(async (tx) => {
      await requireActiveRelay(tx, input.toRelayId);
      const from = { relayId: input.fromRelayId, productId: input.productId, period: input.period };
      const available = (await tx.quotaBalance.findUnique({ where: { relayId_productId_period: from }, select: { balance: true } }))?.balance ?? 0;
      const refusal = moveRefusal({ ...input, available });
      if (refusal) throw new Refused(refusal);
      if (!(await debit(tx, from, input.units))) throw new Refused("Le relais d'origine n'a plus assez de recharges disponibles.");
      const to = { ...from, relayId: input.toRelayId };
      await credit(tx, to, input.units);
      await tx.quotaLedgerEntry.create({ data: { id: timeOrderedId(), ...from, kind: "MOVE_OUT", delta: -input.units, reason: input.reason, actorId: input.actorId } });
      await tx.quotaLedgerEntry.create({ data: { id: timeOrderedId(), ...to, kind: "MOVE_IN", delta: input.units, reason: input.reason, actorId: input.actorId } });
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * The relay declares a mistaken issue (within 15 minutes); the code stays spent. Only a
 * certified member on their own issue, or a certified referent of the relay (`forbidden` otherwise).
 */
export async function declareMistake(input: {
  relayId: string;
  issueId: string;
  actorId: string;
  reason: string;
  now?: Date;
}): Promise<Done | { ok: false; message: string; forbidden: true }> {
  const now = input.now ?? new Date();
  const [issue, reader] = await Promise.all([
    db.rechargeIssue.findFirst({ where: { id: input.issueId, relayId: input.relayId }, select: { staffId: true, issuedAt: true, mistakeDeclaredAt: true } }),
    issueReader(input.relayId, input.actorId, now),
  ]);
  if (!issue || !reader) return { ok: false, message: "Recharge introuvable." };
  const notYours = mistakeDeclarerRefusal(reader, issue);
  if (notYours) return { ok: false, message: notYours, forbidden: true };
  const refusal = mistakeRefusal(issue, input.reason, now);
  if (refusal) return { ok: false, message: refusal };
  const done = await db.$transaction(async (tx) => {
    const marked = await tx.rechargeIssue.updateMany({
      where: { id: input.issueId, relayId: input.relayId, mistakeDeclaredAt: null },
      data: { mistakeDeclaredAt: now, mistakeReason: input.reason.trim() },
    });
    if (marked.count !== 1) return false;
    await tx.auditLog.create({ data: { actorId: input.actorId, action: "recharge.mistake_declared", entityType: "RechargeIssue", entityId: input.issueId, reason: input.reason.trim() } });
    return true;
  });
  return done ? { ok: true } : { ok: false, message: "Une erreur a déjà été déclarée pour cette recharge." };
}

/** Staff give back the quota unit of a mistaken issue, once. */
export async function restoreQuotaUnit(input: { issueId: string; actorId: string; reason: string }): Promise<Done> {
  if (input.reason.trim().length < QUOTA_REASON_MIN_LENGTH) return { ok: false, message: `Indiquez la raison (${QUOTA_REASON_MIN_LENGTH} caractères au moins).` };
  try {
    await inTransaction(async (tx) => {
      const issue = await tx.rechargeIssue.findUnique({ where: { id: input.issueId }, select: { relayId: true, productId: true, period: true, mistakeDeclaredAt: true } });
      if (!issue?.mistakeDeclaredAt) throw new Refused("Seule une recharge déclarée comme erreur peut rendre son unité de quota.");
      const key = { relayId: issue.relayId, productId: issue.productId, period: issue.period };
      // Touching the balance row queues two restorations of the same issue on PostgreSQL.
      await tx.quotaBalance.updateMany({ where: key, data: { balance: { increment: 0 } } });
      if (await tx.quotaLedgerEntry.count({ where: { issueId: input.issueId, kind: "RESTORE" } })) throw new Refused("L'unité de quota de cette recharge a déjà été rendue.");
      await credit(tx, key, 1);
      await tx.quotaLedgerEntry.create({ data: { id: timeOrderedId(), ...key, kind: "RESTORE", delta: 1, reason: input.reason.trim(), actorId: input.actorId, issueId: input.issueId } });
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, message: error.message };
    throw error;
  }
}

export const currentPeriod = (now = new Date()) => parisMonthKey(now);
