import { randomBytes } from "node:crypto";
import { db, type Tx } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";
import { isRetryable } from "../enrolment/enrolment.server";
import { decryptCode } from "./code-crypto.server";
import { formatEuros, type AgeBand } from "./display";
import { ISSUING_REFUSAL_MESSAGES, issuingRefusal, withinCeiling, type IssuingRefusal } from "./issuing.rules";
import { alertLowStockIfNeeded } from "./stock.server";

/**
 * Issuing a recharge: one unit of quota and one unused code (earliest expiry first) are
 * taken in one short transaction, or nothing is.
 *
 * - Quota: `QuotaBalance.balance` is decremented by a conditional `updateMany` (balance > 0)
 *   with its ledger row in the same transaction; a count of 0 means empty. On PostgreSQL the
 *   row lock this update takes also queues the issues of one relay and product.
 * - Code: the oldest-expiring unissued codes are read, and one is claimed with a conditional
 *   `updateMany` (issuedAt is null). A claim lost to a concurrent transaction (another relay
 *   on PostgreSQL) tries the next candidate; `RechargeIssue.codeId` is unique as a last guard.
 * - Beneficiary: its row is written first, so on PostgreSQL two issues for the same person
 *   queue and the monthly ceiling is summed over committed issues only.
 * - Idempotency: the form carries a random key; a second submission with the same key gets
 *   the first issue back (a double click issues once).
 */

export type BeneficiaryInput = { reference: string; ageBand: AgeBand | null; commune: string | null };
export type IssueInput = {
  relayId: string;
  staffId: string;
  productId: string;
  beneficiary: BeneficiaryInput;
  idempotencyKey: string;
  now?: Date;
};

export type IssueFailure =
  | { ok: false; reason: IssuingRefusal | "UNKNOWN_PRODUCT" | "NO_QUOTA" | "NO_STOCK" | "CEILING"; message: string };
export type IssueResult = { ok: true; issueId: string; replayed: boolean } | IssueFailure;

class IssueAborted extends Error {
  constructor(readonly failure: IssueFailure) {
    super(failure.message);
  }
}
const abort = (reason: IssueFailure["reason"], message: string): never => {
  throw new IssueAborted({ ok: false, reason, message });
};

/** A fresh key for each issuing form shown. */
export const newIdempotencyKey = () => randomBytes(16).toString("base64url");

const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 };
const RETRIES = 8;
const CANDIDATES = 8;

/** Reads what the eligibility rule needs, for one person and one relay. */
export async function issuerRefusal(relayId: string, staffId: string, now = new Date()): Promise<IssuingRefusal | null> {
  const relay = await db.relay.findUnique({ where: { id: relayId }, select: { structureId: true, status: true, requiredModuleId: true } });
  if (!relay) return issuingRefusal({ relay: null, membershipStructureIds: [], certificates: [], now });
  const [memberships, certificates] = await Promise.all([
    db.membership.findMany({ where: { userId: staffId, structureId: relay.structureId }, select: { structureId: true } }),
    db.certificate.findMany({
      where: { userId: staffId, moduleId: relay.requiredModuleId },
      select: { moduleId: true, issuedAt: true, expiresAt: true, revokedAt: true, supersededAt: true },
    }),
  ]);
  return issuingRefusal({ relay, membershipStructureIds: memberships.map((m) => m.structureId), certificates, now });
}

export async function issueRecharge(input: IssueInput): Promise<IssueResult> {
  const now = input.now ?? new Date();
  const existing = await db.rechargeIssue.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true, relayId: true } });
  if (existing) return replayed(existing, input.relayId);

  const refusal = await issuerRefusal(input.relayId, input.staffId, now);
  if (refusal) return { ok: false, reason: refusal, message: ISSUING_REFUSAL_MESSAGES[refusal] };
  const [product, relay] = await Promise.all([
    db.rechargeProduct.findFirst({
      where: { id: input.productId, active: true },
      select: { id: true, name: true, faceValueCents: true, lowStockThreshold: true, lowStockAlertedAt: true },
    }),
    db.relay.findUniqueOrThrow({ where: { id: input.relayId }, select: { beneficiaryMonthlyCeilingCents: true } }),
  ]);
  if (!product) return { ok: false, reason: "UNKNOWN_PRODUCT", message: "Choisissez une recharge de la liste." };

  for (let attempt = 1; ; attempt++) {
    try {
      const issueId = await db.$transaction((tx) => issueInTransaction(tx, input, product, relay.beneficiaryMonthlyCeilingCents, now), TX_OPTIONS);
      return { ok: true, issueId, replayed: false };
    } catch (error) {
      if (error instanceof IssueAborted) {
        // A double submission may find the quota, stock or ceiling used by its own first copy.
        const first = await db.rechargeIssue.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true, relayId: true } });
        return first ? replayed(first, input.relayId) : error.failure;
      }
      // A unique violation: the same idempotency key (a double submission: answer with the first
      // issue) or the same new beneficiary committed by a concurrent request (the next attempt sees it).
      const unique = (error as { code?: unknown }).code === "P2002";
      if (unique) {
        const first = await db.rechargeIssue.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true, relayId: true } });
        if (first) return replayed(first, input.relayId);
      }
      if (attempt >= RETRIES || !(unique || isRetryable(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * 20));
    }
  }
}

function replayed(existing: { id: string; relayId: string }, relayId: string): IssueResult {
  // A key reused for another relay is not an answer to give out.
  if (existing.relayId !== relayId) return { ok: false, reason: "NOT_MEMBER", message: ISSUING_REFUSAL_MESSAGES.NOT_MEMBER };
  return { ok: true, issueId: existing.id, replayed: true };
}

async function issueInTransaction(
  tx: Tx,
  input: IssueInput,
  product: { id: string; name: string; faceValueCents: number; lowStockThreshold: number; lowStockAlertedAt: Date | null },
  ceilingCents: number,
  now: Date,
): Promise<string> {
  const period = parisMonthKey(now);

  const { reference, ageBand, commune } = input.beneficiary;
  const beneficiary = await tx.beneficiary.upsert({
    where: { relayId_reference: { relayId: input.relayId, reference } },
    create: { relayId: input.relayId, reference, ageBand, commune, lastIssuedAt: now },
    update: { ageBand: ageBand ?? undefined, commune: commune ?? undefined, lastIssuedAt: now },
    select: { id: true },
  });
  const issued = await tx.rechargeIssue.aggregate({
    where: { beneficiaryId: beneficiary.id, period, mistakeDeclaredAt: null },
    _sum: { valueCents: true },
  });
  if (!withinCeiling(issued._sum.valueCents ?? 0, product.faceValueCents, ceilingCents)) {
    abort(
      "CEILING",
      `Cette personne a déjà reçu ${formatEuros(issued._sum.valueCents ?? 0)} de recharges ce mois-ci : une recharge de ${formatEuros(product.faceValueCents)} dépasserait le plafond mensuel de ${formatEuros(ceilingCents)}.`,
    );
  }

  const quota = await tx.quotaBalance.updateMany({
    where: { relayId: input.relayId, productId: product.id, period, balance: { gt: 0 } },
    data: { balance: { decrement: 1 } },
  });
  if (quota.count !== 1) abort("NO_QUOTA", `Le quota de recharges « ${product.name} » de votre relais est épuisé pour ce mois-ci : rien n'a été délivré.`);

  const codeId = await claimCode(tx, product.id, now);
  if (!codeId) abort("NO_STOCK", `Il n'y a plus de code « ${product.name} » en stock : rien n'a été délivré. L'équipe de l'association a été prévenue.`);

  const issue = await tx.rechargeIssue.create({
    data: {
      idempotencyKey: input.idempotencyKey,
      relayId: input.relayId,
      productId: product.id,
      staffId: input.staffId,
      codeId: codeId!,
      beneficiaryId: beneficiary.id,
      period,
      valueCents: product.faceValueCents,
      issuedAt: now,
    },
    select: { id: true },
  });
  await tx.quotaLedgerEntry.create({
    data: { relayId: input.relayId, productId: product.id, period, kind: "ISSUE", delta: -1, actorId: input.staffId, issueId: issue.id, createdAt: now },
  });
  // Already alerted (read before the transaction): no need to count the stock at each issue.
  if (!product.lowStockAlertedAt) await alertLowStockIfNeeded(tx, product.id, now);
  return issue.id;
}

/** Claims the earliest-expiring unissued, unexpired code; null when none is left. */
async function claimCode(tx: Tx, productId: string, now: Date): Promise<string | null> {
  for (let round = 0; round < 4; round++) {
    const candidates = await tx.rechargeCode.findMany({
      where: { productId, issuedAt: null, expiresAt: { gt: now } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: CANDIDATES,
      select: { id: true },
    });
    if (!candidates.length) return null;
    for (const { id } of candidates) {
      const claimed = await tx.rechargeCode.updateMany({ where: { id, issuedAt: null }, data: { issuedAt: now } });
      if (claimed.count === 1) return id;
    }
  }
  // Every candidate went to concurrent transactions: let the caller's retry start afresh.
  throw Object.assign(new Error("could not serialize: recharge code claims lost"), { code: "40001" });
}

// ───────────────────────────── Showing the code ─────────────────────────────

export type IssueView = {
  id: string;
  productName: string;
  valueCents: number;
  issuedAt: Date;
  reference: string | null;
  last4: string;
  codeRevealedAt: Date | null;
  mistakeDeclaredAt: Date | null;
  mistakeReason: string | null;
  staffId: string;
};

/** One issue of this relay, without its code. */
export async function getIssue(relayId: string, issueId: string, readerId: string): Promise<IssueView | null> {
  const issue = await db.rechargeIssue.findFirst({
    where: { id: issueId, relayId },
    select: {
      id: true,
      valueCents: true,
      issuedAt: true,
      codeRevealedAt: true,
      mistakeDeclaredAt: true,
      mistakeReason: true,
      staffId: true,
      product: { select: { name: true } },
      beneficiary: { select: { reference: true } },
      code: { select: { last4: true } },
    },
  });
  if (!issue) return null;
  await logReading(readerId, "recharge.beneficiary_read", "RechargeIssue", issue.id);
  const { product, beneficiary, code, ...rest } = issue;
  return { ...rest, productName: product.name, reference: beneficiary?.reference ?? null, last4: code.last4 };
}

/**
 * The code in clear, once: only for the staff member who issued it, and only if it was never
 * shown. The conditional update makes "once" hold even for two tabs at the same instant.
 */
export async function revealCodeOnce(input: { relayId: string; staffId: string; issueId: string; now?: Date }): Promise<string | null> {
  const now = input.now ?? new Date();
  const shown = await db.rechargeIssue.updateMany({
    where: { id: input.issueId, relayId: input.relayId, staffId: input.staffId, codeRevealedAt: null, mistakeDeclaredAt: null },
    data: { codeRevealedAt: now },
  });
  if (shown.count !== 1) return null;
  return readCode(input.issueId, input.staffId, "recharge.code_revealed");
}

/** The code for the printed voucher: its issuer, within the voucher window (isVoucherPrintable). */
export async function readCodeForVoucher(issueId: string, staffId: string): Promise<string> {
  return readCode(issueId, staffId, "recharge.voucher_printed");
}

async function readCode(issueId: string, actorId: string, action: string): Promise<string> {
  const issue = await db.rechargeIssue.findUniqueOrThrow({ where: { id: issueId }, select: { code: { select: { codeEncrypted: true } } } });
  await logReading(actorId, action, "RechargeIssue", issueId);
  return decryptCode(issue.code.codeEncrypted);
}

/** Every reading of a code or of beneficiary records leaves a row, without the data itself. */
export async function logReading(actorId: string, action: string, entityType: string, entityId: string): Promise<void> {
  await db.auditLog.create({ data: { actorId, action, entityType, entityId } });
}
