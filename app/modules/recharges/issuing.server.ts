import { randomBytes } from "node:crypto";
import { Prisma } from "~/generated/sqlite/client";
import { db, dbProvider } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";
import { timeOrderedId } from "~/utils/ids.server";
import { logger } from "~/utils/logger.server";
import { isRetryableSqlError, isUniqueViolation, sqlTransaction, type SqlTx } from "~/utils/sql-transaction.server";
import { isRetryable } from "../enrolment/enrolment.server";
import { decryptCode } from "./code-crypto.server";
import { formatEuros, type AgeBand } from "./display";
import {
  ISSUING_REFUSAL_MESSAGES,
  issueAccess,
  issuingRefusal,
  REVEAL_AGAIN_WINDOW_MS,
  withinCeiling,
  type IssueAccess,
  type IssuerRelay,
  type IssueReader,
  type IssuingRefusal,
} from "./issuing.rules";
import { holdsValidCertificate } from "../relays/activation.rules";
import { normaliseBeneficiaryReference } from "./beneficiary.rules";
import { alertLowStock } from "./stock.server";
import { issuableAfter } from "./stock.rules";

/**
 * Issuing a recharge: one unit of quota and one unused code (earliest expiry first) are
 * taken in one short transaction, or nothing is.
 *
 * - Quota: `QuotaBalance.balance` is decremented by a conditional `updateMany` (balance > 0)
 *   with its ledger row in the same transaction; a count of 0 means empty. On PostgreSQL the
 *   row lock this update takes also queues the issues of one relay and product.
 * - Code: one statement claims the earliest-expiring unissued code that still leaves the
 *   product's `minValidityDays` (`UPDATE … WHERE id =
 *   (SELECT … LIMIT 1) AND issuedAt IS NULL RETURNING id`, with `FOR UPDATE SKIP LOCKED` on
 *   PostgreSQL so that concurrent issues of other relays take the next code instead of
 *   waiting); `RechargeIssue.codeId` is unique as a last guard.
 * - Beneficiary: its row is written first, so on PostgreSQL two issues for the same person
 *   queue and the monthly ceiling is summed over committed issues only. The reference is
 *   normalised (trimmed, upper case) so that one person has one row and one ceiling; declared
 *   mistakes count toward the ceiling, as their code left the stock (decision 017).
 * - Idempotency: the form carries a random key; a second submission with the same key gets
 *   the first issue back (a double click issues once): the unique key refuses its insert, or
 *   its quota, stock or ceiling is found used by the first copy, and the first issue is read.
 * - Cost: this runs under load (issue 6: ≥ 300 issues/s on SQLite), so the checks before the
 *   transaction are two queries and the transaction is six statements; the low-stock alert
 *   is probed after commit. See docs/decisions/015.
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

const RETRIES = 8;

type ContextRow = IssuerRelay & {
  ceilingCents: number | bigint;
  memberOf: string | null;
  certificateId: string | null;
  issuedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  supersededAt: Date | null;
  productId: string | null;
  productName: string | null;
  faceValueCents: number | bigint | null;
  lowStockThreshold: number | bigint | null;
  lowStockAlertedAt: Date | null;
  minValidityDays: number | bigint | null;
};

type IssuedProduct = { id: string; name: string; faceValueCents: number; lowStockThreshold: number; lowStockAlertedAt: Date | null; minValidityDays: number };
type IssuingContext = { refusal: IssuingRefusal | null; ceilingCents: number; product: IssuedProduct | null };

/**
 * In one query, everything an issue checks before its transaction: the relay, whether the
 * person belongs to it, their certificates of its module, the relay's monthly ceiling per
 * beneficiary, and the product (if given and active). One row per certificate.
 */
async function issuingContext(relayId: string, staffId: string, productId: string | null, now: Date): Promise<IssuingContext> {
  const rows = await db.$queryRaw<ContextRow[]>`
    SELECT r."structureId", r."status", r."requiredModuleId", r."beneficiaryMonthlyCeilingCents" AS "ceilingCents",
           m."structureId" AS "memberOf",
           c."id" AS "certificateId", c."issuedAt", c."expiresAt", c."revokedAt", c."supersededAt",
           p."id" AS "productId", p."name" AS "productName", p."faceValueCents", p."lowStockThreshold", p."lowStockAlertedAt", p."minValidityDays"
    FROM "Relay" r
    LEFT JOIN "Membership" m ON m."structureId" = r."structureId" AND m."userId" = ${staffId}
    LEFT JOIN "Certificate" c ON c."userId" = ${staffId} AND c."moduleId" = r."requiredModuleId"
    LEFT JOIN "RechargeProduct" p ON p."id" = ${productId} AND p."active" = ${true}
    WHERE r."id" = ${relayId}`;
  const relay = rows[0];
  if (!relay) return { refusal: issuingRefusal({ relay: null, membershipStructureIds: [], certificates: [], now }), ceilingCents: 0, product: null };
  const certificates = rows
    .filter((c) => c.certificateId !== null)
    .map((c) => ({ moduleId: relay.requiredModuleId, issuedAt: c.issuedAt!, expiresAt: c.expiresAt, revokedAt: c.revokedAt, supersededAt: c.supersededAt }));
  const refusal = issuingRefusal({ relay, membershipStructureIds: relay.memberOf ? [relay.memberOf] : [], certificates, now });
  const product = relay.productId
    ? {
        id: relay.productId,
        name: relay.productName!,
        faceValueCents: Number(relay.faceValueCents),
        lowStockThreshold: Number(relay.lowStockThreshold),
        lowStockAlertedAt: relay.lowStockAlertedAt,
        minValidityDays: Number(relay.minValidityDays),
      }
    : null;
  return { refusal, ceilingCents: Number(relay.ceilingCents), product };
}

/** Why this person may not issue for this relay now, or null when they may. */
export async function issuerRefusal(relayId: string, staffId: string, now = new Date()): Promise<IssuingRefusal | null> {
  return (await issuingContext(relayId, staffId, null, now)).refusal;
}

export async function issueRecharge(input: IssueInput): Promise<IssueResult> {
  const now = input.now ?? new Date();
  const { refusal, ceilingCents, product } = await issuingContext(input.relayId, input.staffId, input.productId, now);
  if (refusal || !product) {
    // A form sent again (back button, network retry) whose first copy was issued before things
    // changed still gets its issue back.
    const first = await findByKey(input.idempotencyKey);
    if (first) return replayed(first, input.relayId);
    if (refusal) return { ok: false, reason: refusal, message: ISSUING_REFUSAL_MESSAGES[refusal] };
    return { ok: false, reason: "UNKNOWN_PRODUCT", message: "Choisissez une recharge de la liste." };
  }

  for (let attempt = 1; ; attempt++) {
    try {
      const { issueId, stockLow } = await sqlTransaction((tx) => issueInTransaction(tx, input, product, ceilingCents, now));
      // The issue is committed whatever happens to the alert.
      if (stockLow) await alertAfterIssue(product, now);
      return { ok: true, issueId, replayed: false };
    } catch (error) {
      if (error instanceof IssueAborted) {
        // A double submission may find the quota, stock or ceiling used by its own first copy.
        const first = await findByKey(input.idempotencyKey);
        if (first) return replayed(first, input.relayId);
        // An empty stock is always worth a mail, even if the alert after the last issue failed.
        if (error.failure.reason === "NO_STOCK" && !product.lowStockAlertedAt) await alertAfterIssue(product, now);
        return error.failure;
      }
      // A unique violation: the same idempotency key (a double submission: answer with the first
      // issue) or the same new beneficiary committed by a concurrent request (the next attempt sees it).
      const unique = isUniqueViolation(error);
      if (unique) {
        const first = await findByKey(input.idempotencyKey);
        if (first) return replayed(first, input.relayId);
      }
      if (attempt >= RETRIES || !(unique || isRetryable(error) || isRetryableSqlError(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * 20));
    }
  }
}

/** The low-stock mail, after the issue committed: its failure is logged, never the issue's. */
const alertAfterIssue = (product: IssuedProduct, now: Date) =>
  alertLowStock(product, now).catch((error: unknown) => logger.error("recharge.low_stock_alert_failed", { productId: product.id, error: String(error) }));

const findByKey = (idempotencyKey: string) => db.rechargeIssue.findUnique({ where: { idempotencyKey }, select: { id: true, relayId: true } });

function replayed(existing: { id: string; relayId: string }, relayId: string): IssueResult {
  // A key reused for another relay is not an answer to give out.
  if (existing.relayId !== relayId) return { ok: false, reason: "NOT_MEMBER", message: ISSUING_REFUSAL_MESSAGES.NOT_MEMBER };
  return { ok: true, issueId: existing.id, replayed: true };
}

/**
 * The transaction of one issue, in plain SQL on the driver adapter (sql-transaction.server.ts):
 * six statements, each one the database checks or guards, and the low-stock probe.
 */
async function issueInTransaction(
  tx: SqlTx,
  input: IssueInput,
  product: IssuedProduct,
  ceilingCents: number,
  now: Date,
): Promise<{ issueId: string; stockLow: boolean }> {
  const period = parisMonthKey(now);
  const { relayId, staffId } = input;
  const { ageBand, commune } = input.beneficiary;
  const reference = normaliseBeneficiaryReference(input.beneficiary.reference);

  // The person's record: created, or its optional details refreshed (an empty field keeps the old value).
  const [beneficiary] = await tx.query<{ id: string }>(Prisma.sql`
    INSERT INTO "Beneficiary" ("id", "relayId", "reference", "ageBand", "commune", "lastIssuedAt", "createdAt")
    VALUES (${timeOrderedId()}, ${relayId}, ${reference}, ${ageBand}, ${commune}, ${now}, ${now})
    ON CONFLICT ("relayId", "reference") DO UPDATE SET
      "ageBand" = COALESCE(excluded."ageBand", "Beneficiary"."ageBand"),
      "commune" = COALESCE(excluded."commune", "Beneficiary"."commune"),
      "lastIssuedAt" = excluded."lastIssuedAt"
    RETURNING "id"`);
  const beneficiaryId = beneficiary!.id;

  // The month's total for this person, declared mistakes included: their codes were given out.
  const [issued] = await tx.query<{ cents: number | null }>(Prisma.sql`
    SELECT SUM("valueCents") AS "cents" FROM "RechargeIssue"
    WHERE "beneficiaryId" = ${beneficiaryId} AND "period" = ${period}`);
  const issuedCents = Number(issued?.cents ?? 0);
  if (!withinCeiling(issuedCents, product.faceValueCents, ceilingCents)) {
    abort(
      "CEILING",
      `Cette personne a déjà reçu ${formatEuros(issuedCents)} de recharges ce mois-ci : une recharge de ${formatEuros(product.faceValueCents)} dépasserait le plafond mensuel de ${formatEuros(ceilingCents)}.`,
    );
  }

  const quota = await tx.execute(Prisma.sql`
    UPDATE "QuotaBalance" SET "balance" = "balance" - 1
    WHERE "relayId" = ${relayId} AND "productId" = ${product.id} AND "period" = ${period} AND "balance" > 0`);
  if (quota !== 1) abort("NO_QUOTA", `Le quota de recharges « ${product.name} » de votre relais est épuisé pour ce mois-ci : rien n'a été délivré.`);

  const issuableFrom = issuableAfter(now, product.minValidityDays);
  const codeId = await claimCode(tx, product.id, now, issuableFrom);
  if (!codeId) abort("NO_STOCK", noStockMessage(product));

  const issueId = timeOrderedId();
  await tx.execute(Prisma.sql`
    INSERT INTO "RechargeIssue" ("id", "idempotencyKey", "relayId", "productId", "staffId", "codeId", "beneficiaryId", "period", "valueCents", "issuedAt")
    VALUES (${issueId}, ${input.idempotencyKey}, ${relayId}, ${product.id}, ${staffId}, ${codeId}, ${beneficiaryId}, ${period}, ${product.faceValueCents}, ${now})`);
  await tx.execute(Prisma.sql`
    INSERT INTO "QuotaLedgerEntry" ("id", "relayId", "productId", "period", "kind", "delta", "actorId", "issueId", "createdAt")
    VALUES (${timeOrderedId()}, ${relayId}, ${product.id}, ${period}, ${"ISSUE"}, ${-1}, ${staffId}, ${issueId}, ${now})`);

  // Low stock, unless already alerted: is there an issuable code beyond the threshold? An index
  // walk of `threshold` rows, where counting would read the whole stock (100,000 codes) at each issue.
  if (product.lowStockAlertedAt) return { issueId, stockLow: false };
  const beyond = await tx.query(Prisma.sql`
    SELECT "id" FROM "RechargeCode" WHERE "productId" = ${product.id} AND "issuedAt" IS NULL AND "expiresAt" > ${issuableFrom}
    ORDER BY "expiresAt" LIMIT 1 OFFSET ${product.lowStockThreshold}`);
  return { issueId, stockLow: beyond.length === 0 };
}

const noStockMessage = (product: IssuedProduct) =>
  product.minValidityDays > 0
    ? `Il n'y a plus de code « ${product.name} » valable encore ${product.minValidityDays} jours au moins : rien n'a été délivré. L'équipe de l'association a été prévenue.`
    : `Il n'y a plus de code « ${product.name} » en stock : rien n'a été délivré. L'équipe de l'association a été prévenue.`;

/**
 * Claims the earliest-expiring unissued code that expires after `issuableFrom` (now plus the
 * product's least validity); null when none is left. Codes closer to their end stay in stock,
 * listed for staff as "à écouler".
 */
async function claimCode(tx: SqlTx, productId: string, now: Date, issuableFrom: Date): Promise<string | null> {
  // Ties on the expiry are broken by the index's own order: an `id` tie-break would make
  // SQLite sort every code of that date (an operator file often has one date for all).
  const skipLocked = dbProvider() === "postgresql" ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const [claimed] = await tx.query<{ id: string }>(Prisma.sql`
    UPDATE "RechargeCode" SET "issuedAt" = ${now}
    WHERE "id" = (
      SELECT "id" FROM "RechargeCode"
      WHERE "productId" = ${productId} AND "issuedAt" IS NULL AND "expiresAt" > ${issuableFrom}
      ORDER BY "expiresAt" LIMIT 1 ${skipLocked}
    ) AND "issuedAt" IS NULL
    RETURNING "id"`);
  if (claimed) return claimed.id;
  // Nothing free. On PostgreSQL the last codes may be held by concurrent issues that can
  // still roll back: start again rather than say the stock is empty.
  const held = await tx.query(Prisma.sql`
    SELECT "id" FROM "RechargeCode" WHERE "productId" = ${productId} AND "issuedAt" IS NULL AND "expiresAt" > ${issuableFrom} LIMIT 1`);
  if (held.length) throw Object.assign(new Error("could not serialize: the last recharge codes are being claimed"), { code: "40001" });
  return null;
}

// ───────────────────────────── Showing the code ─────────────────────────────

export type IssueView = {
  id: string;
  productName: string;
  valueCents: number;
  issuedAt: Date;
  reference: string | null;
  last4: string;
  /** The code's `expiresAt`: shown as its last valid day (stock.rules.ts `lastValidDay`). */
  codeExpiresAt: Date;
  codeRevealedAt: Date | null;
  mistakeDeclaredAt: Date | null;
  mistakeReason: string | null;
  staffId: string;
};

/** The person as the issue rules see them: a member of this relay, referent or not, certified for its module now. */
export async function issueReader(relayId: string, userId: string, now = new Date()): Promise<IssueReader | null> {
  const relay = await db.relay.findUnique({
    where: { id: relayId },
    select: { requiredModuleId: true, structure: { select: { memberships: { where: { userId }, select: { role: true } } } } },
  });
  const membership = relay?.structure.memberships[0];
  if (!relay || !membership) return null;
  const certificates = await db.certificate.findMany({
    where: { userId, moduleId: relay.requiredModuleId },
    select: { moduleId: true, issuedAt: true, expiresAt: true, revokedAt: true, supersededAt: true },
  });
  return { userId, referent: membership.role === "REFERENT", certified: holdsValidCertificate(certificates, relay.requiredModuleId, now) };
}

export type IssueReading = { ok: true; issue: IssueView; access: IssueAccess } | { ok: false; status: 403 | 404; message: string };

/**
 * One issue of this relay, without its code, and what the reader may do with it. An
 * uncertified member reads only their own issues (the page carries the beneficiary's reference).
 */
export async function getIssue(relayId: string, issueId: string, readerId: string, now = new Date()): Promise<IssueReading> {
  const [issue, reader] = await Promise.all([
    db.rechargeIssue.findFirst({
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
        code: { select: { last4: true, expiresAt: true } },
      },
    }),
    issueReader(relayId, readerId, now),
  ]);
  if (!issue || !reader) return { ok: false, status: 404, message: "Cette recharge n'existe pas." };
  const access = issueAccess(reader, issue, now);
  if (!access.view) return { ok: false, status: 403, message: "Seuls les membres certifiés du relais peuvent consulter les recharges délivrées par leurs collègues." };
  await logReading(readerId, "recharge.beneficiary_read", "RechargeIssue", issue.id);
  const { product, beneficiary, code, ...rest } = issue;
  return { ok: true, issue: { ...rest, productName: product.name, reference: beneficiary?.reference ?? null, last4: code.last4, codeExpiresAt: code.expiresAt }, access };
}

/**
 * The code in clear, on a deliberate POST: only for the staff member who issued it, never
 * after a declared mistake, and only if it was never shown or was first shown less than
 * REVEAL_AGAIN_WINDOW_MS ago (a lost answer or a double submission gets it again; later it
 * stays masked). The conditional update decides, so two tabs at the same instant agree.
 * Every showing is an audit row. Returns null when the code may not be shown.
 */
export async function revealCode(input: { relayId: string; staffId: string; issueId: string; now?: Date }): Promise<string | null> {
  const now = input.now ?? new Date();
  const mine = { id: input.issueId, relayId: input.relayId, staffId: input.staffId, mistakeDeclaredAt: null };
  const first = await db.rechargeIssue.updateMany({ where: { ...mine, codeRevealedAt: null }, data: { codeRevealedAt: now } });
  if (first.count !== 1) {
    const again = await db.rechargeIssue.count({ where: { ...mine, codeRevealedAt: { gte: new Date(now.getTime() - REVEAL_AGAIN_WINDOW_MS) } } });
    if (again !== 1) return null;
  }
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
