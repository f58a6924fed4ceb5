import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { enqueueConvocation, loadSessionForMail, lockSession, mySpaceUrl, placeLines, sessionDates, withTxRetry } from "~/modules/enrolment/enrolment.server";
import { formatDateTime, holdsSeat } from "~/modules/enrolment/enrolment.rules";
import { offerSeatToNextInLine } from "~/modules/enrolment/waitlist.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { currentIdentity } from "~/modules/organisation/identity.server";
import { checkoutExpiry } from "~/modules/payments/payment.rules";
import { expireCheckoutQuietly } from "~/modules/payments/refunds.server";
import { describeStripeError, getStripe } from "~/modules/payments/stripe.server";
import { fileSlug } from "~/modules/pdf/layout";
import { formatPrice } from "~/modules/training/catalogue.rules";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { formatLongDate } from "~/utils/dates";
import { logger } from "~/utils/logger.server";
import { renderContractPdf } from "./contract-pdf.server";
import { WITHDRAWAL_REASON, canWithdraw, contractPath, chargePlan, periodOutlastsStart, withdrawalLastInstant, withdrawalPeriodEnd } from "./contract.rules";

/**
 * The contrat de formation of a person who pays for themself by card (decision 031):
 * issued when they choose card (PDF stored with its SHA-256, never regenerated), accepted
 * online (name, date, IP, the hash of the document accepted), then the card is saved with a
 * Checkout Session in setup mode: no money moves. The seat is held meanwhile (the enrolment's
 * PENDING_PAYMENT hold), and confirmed once the card is saved. The learner may withdraw until
 * the period ends; the charges job (charges.server.ts) takes the money afterwards.
 */

type Failure = { ok: false; message: string };
const fail = (message: string): Failure => ({ ok: false, message });

const contractUrl = (enrolmentId: string, state?: "carte" | "abandon") => `${getEnv().APP_URL}${contractPath(enrolmentId)}${state ? `?etat=${state}` : ""}`;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
export { contractPath };
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

const enrolmentForContract = {
  user: { select: { id: true, name: true, email: true } },
  session: {
    include: {
      module: true,
      trainer: { select: { name: true } },
      slots: { orderBy: { startsAt: "asc" as const }, select: { id: true, startsAt: true, endsAt: true } },
    },
  },
};

// ───────────────────────────── Issuing ─────────────────────────────

/**
 * Issues the contract of a card enrolment once: rendered from the module, session, learner
 * and the organisation's current identity, stored with its SHA-256. A contract already issued
 * is left as it is (two requests at once collide on the unique enrolment id).
 */
export async function issueContract(input: { enrolmentId: string; now?: Date }): Promise<void> {
  const { enrolmentId, now = new Date() } = input;
  if (await db.trainingContract.findUnique({ where: { enrolmentId }, select: { id: true } })) return;
  const enrolment = await db.enrolment.findUnique({ where: { id: enrolmentId }, include: enrolmentForContract });
  if (!enrolment || enrolment.funding !== "CARD" || enrolment.amountCents <= 0) return;
  const { session } = enrolment;
  const plan = chargePlan({ priceCents: enrolment.amountCents, periodEnd: now, lastSlotEndsAt: null });
  const depositCents = plan.find((c) => c.kind === "DEPOSIT")?.amountCents ?? 0;
  const place = session.format === "REMOTE" ? "à distance (lien de connexion envoyé avec la convocation)" : placeLines(session).join(", ") || "communiqué avec la convocation";
  const pdf = await renderContractPdf(
    {
      learner: { name: enrolment.user.name, email: enrolment.user.email },
      module: session.module,
      session: { slots: session.slots, place, trainerName: session.trainer?.name ?? null, capacity: session.capacity },
      priceCents: enrolment.amountCents,
      depositCents,
      balanceCents: enrolment.amountCents - depositCents,
    },
    await currentIdentity(),
    now,
  );
  try {
    await db.trainingContract.create({ data: { enrolmentId, pdf: Buffer.from(pdf), sha256: sha256(pdf), priceCents: enrolment.amountCents, issuedAt: now } });
    await db.auditLog.create({ data: { actorId: null, action: "contract.issued", entityType: "Enrolment", entityId: enrolmentId, data: { sha256: sha256(pdf) }, createdAt: now } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

// ───────────────────────────── The learner's page ─────────────────────────────

export type ContractView = {
  enrolmentId: string;
  moduleTitle: string;
  dates: string;
  firstSlot: string | null;
  price: string;
  deposit: string;
  balance: string;
  sha256: string;
  issuedOn: string;
  enrolmentStatus: string;
  holdUntil: string | null;
  accepted: { name: string; at: string; ip: string } | null;
  withdrawal: { lastDay: string; open: boolean; outlastsStart: boolean } | null;
  /** Before acceptance: the period that would run from now, to explain it. */
  periodIfAcceptedNow: { lastDay: string; outlastsStart: boolean };
  withdrawnAt: string | null;
  cardSaved: boolean;
  /** Accepted, the seat still held or a charge failed: the learner may (re)save a card. */
  canSaveCard: boolean;
  canAccept: boolean;
  charges: { kind: "DEPOSIT" | "BALANCE"; amount: string; dueOn: string; status: string }[];
};

const CHARGE_STATUS: Record<string, string> = {
  SCHEDULED: "prévu",
  CHARGING: "en cours",
  SUCCEEDED: "payé",
  FAILED: "refusé, nouvel essai prévu",
  UNPAID: "impayé",
  CANCELLED: "annulé",
};

/** The contract of one of the learner's enrolments; null when it is not theirs or has none. */
export async function getContractView(input: { userId: string; enrolmentId: string; now?: Date }): Promise<ContractView | null> {
  const { userId, enrolmentId, now = new Date() } = input;
  const enrolment = await db.enrolment.findFirst({
    where: { id: enrolmentId, userId },
    include: {
      session: { select: { module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } },
      contract: { omit: { pdf: true }, include: { charges: { orderBy: { dueAt: "asc" } } } },
    },
  });
  const contract = enrolment?.contract;
  if (!enrolment || !contract) return null;
  const firstSlotStartsAt = enrolment.session.slots[0]?.startsAt ?? null;
  const heldForMe = enrolment.status === "PENDING_PAYMENT" && !!enrolment.holdExpiresAt && enrolment.holdExpiresAt.getTime() > now.getTime();
  const plan = chargePlan({ priceCents: contract.priceCents, periodEnd: now, lastSlotEndsAt: null });
  const deposit = plan.find((c) => c.kind === "DEPOSIT")?.amountCents ?? 0;
  const ifNow = withdrawalPeriodEnd(now);
  const failed = contract.charges.some((c) => c.status === "FAILED");
  return {
    enrolmentId,
    moduleTitle: enrolment.session.module.title,
    dates: sessionDates(enrolment.session.slots),
    firstSlot: firstSlotStartsAt ? formatDateTime(firstSlotStartsAt) : null,
    price: formatPrice(contract.priceCents),
    deposit: formatPrice(deposit),
    balance: formatPrice(contract.priceCents - deposit),
    sha256: contract.sha256,
    issuedOn: formatLongDate(contract.issuedAt),
    enrolmentStatus: enrolment.status,
    holdUntil: heldForMe && enrolment.holdExpiresAt ? formatDateTime(enrolment.holdExpiresAt) : null,
    accepted: contract.acceptedAt ? { name: contract.acceptedName ?? "", at: formatDateTime(contract.acceptedAt), ip: contract.acceptedIp ?? "" } : null,
    withdrawal: contract.withdrawalEndsAt
      ? {
          lastDay: formatDateTime(withdrawalLastInstant(contract.withdrawalEndsAt)),
          open: canWithdraw(contract, now) && enrolment.status !== "CANCELLED",
          outlastsStart: periodOutlastsStart(contract.withdrawalEndsAt, firstSlotStartsAt),
        }
      : null,
    periodIfAcceptedNow: { lastDay: formatLongDate(withdrawalLastInstant(ifNow)), outlastsStart: periodOutlastsStart(ifNow, firstSlotStartsAt) },
    withdrawnAt: contract.withdrawnAt ? formatDateTime(contract.withdrawnAt) : null,
    cardSaved: !!contract.cardSavedAt,
    canSaveCard: !!contract.acceptedAt && !contract.withdrawnAt && ((heldForMe && !contract.cardSavedAt) || (enrolment.status === "CONFIRMED" && failed)),
    canAccept: !contract.acceptedAt && heldForMe,
    charges: contract.charges.map((c) => ({ kind: c.kind, amount: formatPrice(c.amountCents), dueOn: formatLongDate(c.dueAt), status: CHARGE_STATUS[c.status] ?? c.status })),
  };
}

/** The stored PDF, for its learner only. */
export async function getContractPdf(input: { userId: string; enrolmentId: string }): Promise<{ pdf: Uint8Array; fileName: string } | null> {
  const contract = await db.trainingContract.findFirst({
    where: { enrolmentId: input.enrolmentId, enrolment: { userId: input.userId } },
    select: { pdf: true, enrolment: { select: { session: { select: { module: { select: { title: true } } } } } } },
  });
  if (!contract) return null;
  return { pdf: new Uint8Array(contract.pdf), fileName: `contrat-de-formation-${fileSlug(contract.enrolment.session.module.title, 50)}.pdf` };
}

// ───────────────────────────── Accepting ─────────────────────────────

export type AcceptResult = { ok: true } | { ok: false; message: string; field?: "name" | "accepted" };

/**
 * The learner accepts the stored document whose hash the page showed them. The withdrawal
 * period starts now. Only while their seat is held (the hold of a card enrolment).
 */
export async function acceptContract(input: { user: { id: string }; enrolmentId: string; name: string; sha256: string; ip: string; now?: Date }): Promise<AcceptResult> {
  const { user, enrolmentId, name, ip, now = new Date() } = input;
  return withTxRetry(async (tx): Promise<AcceptResult> => {
    const contract = await tx.trainingContract.findFirst({
      where: { enrolmentId, enrolment: { userId: user.id } },
      select: { id: true, sha256: true, acceptedAt: true, enrolment: { select: { status: true, holdExpiresAt: true } } },
    });
    if (!contract) return fail("Ce contrat n'existe pas.");
    if (contract.acceptedAt) return { ok: true };
    if (input.sha256 !== contract.sha256) return fail("Le document affiché n'est pas celui enregistré : rechargez la page et relisez le contrat.");
    const { status, holdExpiresAt } = contract.enrolment;
    if (status !== "PENDING_PAYMENT" || !holdExpiresAt || holdExpiresAt.getTime() <= now.getTime()) {
      return fail("Le délai pour accepter ce contrat est dépassé : la place a été libérée. Vous pouvez vous inscrire à nouveau s'il reste des places.");
    }
    const withdrawalEndsAt = withdrawalPeriodEnd(now);
    const { count } = await tx.trainingContract.updateMany({
      where: { id: contract.id, acceptedAt: null },
      data: { acceptedAt: now, acceptedName: name, acceptedIp: ip, acceptedSha256: contract.sha256, withdrawalEndsAt },
    });
    if (count !== 1) return { ok: true };
    await tx.auditLog.create({
      data: { actorId: user.id, action: "contract.accepted", entityType: "Enrolment", entityId: enrolmentId, data: { name, ip, sha256: contract.sha256, withdrawalEndsAt: withdrawalEndsAt.toISOString() }, createdAt: now },
    });
    return { ok: true };
  });
}

// ───────────────────────────── Saving the card ─────────────────────────────

const CARD_SETUP_STARTED = "contract.card_setup_started";
const CARD_SETUP_FAILED = "contract.card_setup_failed";
/** A card saved again after a refused charge: the setup page stays open a day. */
const RECOVERY_SETUP_MS = 24 * 3600_000;

/**
 * Sends the learner to Stripe to save their card (Checkout in setup mode: no amount is taken).
 * While the seat is held, the hold is stretched to the page's expiry as for a payment; after a
 * refused charge, the new card replaces the old one and the charge is tried again.
 */
export async function startCardSetup(input: { user: { id: string; email: string; name: string }; enrolmentId: string; now?: Date }): Promise<{ ok: true; url: string } | Failure> {
  const { user, enrolmentId, now = new Date() } = input;
  const stripe = getStripe();
  if (!stripe) return fail("Le paiement par carte n'est pas proposé pour le moment. Contactez l'association pour régler votre inscription.");
  const view = await getContractView({ userId: user.id, enrolmentId, now });
  if (!view) return fail("Ce contrat n'existe pas.");
  if (!view.canSaveCard) return fail(view.accepted ? "Aucune carte n'est à enregistrer pour cette inscription." : "Acceptez d'abord le contrat.");
  const contract = await db.trainingContract.findUniqueOrThrow({ where: { enrolmentId }, select: { id: true, stripeCustomerId: true, enrolment: { select: { holdExpiresAt: true, status: true } } } });
  const attempt = await db.auditLog.count({ where: { entityType: "Enrolment", entityId: enrolmentId, action: { in: [CARD_SETUP_STARTED, CARD_SETUP_FAILED] } } });
  const held = contract.enrolment.status === "PENDING_PAYMENT" && contract.enrolment.holdExpiresAt;
  const expiresAt = held ? checkoutExpiry(contract.enrolment.holdExpiresAt as Date, now) : new Date(Math.ceil((now.getTime() + RECOVERY_SETUP_MS) / 1000) * 1000);
  let checkout: Stripe.Checkout.Session;
  try {
    const customerId =
      contract.stripeCustomerId ??
      (await stripe.customers.create({ email: user.email, name: user.name, metadata: { userId: user.id } }, { idempotencyKey: `maillon-customer-${contract.id}` })).id;
    if (!contract.stripeCustomerId) await db.trainingContract.update({ where: { id: contract.id }, data: { stripeCustomerId: customerId } });
    checkout = await stripe.checkout.sessions.create(
      {
        mode: "setup",
        locale: "fr",
        currency: "eur",
        customer: customerId,
        client_reference_id: enrolmentId,
        metadata: { enrolmentId, contractId: contract.id },
        setup_intent_data: { metadata: { enrolmentId, contractId: contract.id } },
        expires_at: Math.floor(expiresAt.getTime() / 1000),
        success_url: contractUrl(enrolmentId, "carte"),
        cancel_url: contractUrl(enrolmentId, "abandon"),
      },
      { idempotencyKey: `maillon-card-setup-${enrolmentId}-${attempt}` },
    );
  } catch (error) {
    const kind = describeStripeError(error);
    logger.warn("stripe card setup not started", { enrolmentId, error: kind });
    await db.auditLog.create({ data: { actorId: user.id, action: CARD_SETUP_FAILED, entityType: "Enrolment", entityId: enrolmentId, data: { attempt, error: kind }, createdAt: now } });
    return fail(
      `Le service de paiement ne répond pas pour le moment.${view.holdUntil ? ` Votre place reste réservée jusqu'au ${view.holdUntil}` : " Votre place reste gardée"} : réessayez avec le bouton « Enregistrer ma carte ».`,
    );
  }
  const recorded = await withTxRetry(async (tx) => {
    const { count } = await tx.enrolment.updateMany({
      where: held ? { id: enrolmentId, status: "PENDING_PAYMENT", holdExpiresAt: { gt: now } } : { id: enrolmentId, status: "CONFIRMED" },
      data: { stripeCheckoutSessionId: checkout.id, ...(held ? { holdExpiresAt: expiresAt } : {}) },
    });
    if (count !== 1) return false;
    await tx.auditLog.create({
      data: { actorId: user.id, action: CARD_SETUP_STARTED, entityType: "Enrolment", entityId: enrolmentId, data: { attempt, checkoutSessionId: checkout.id, expiresAt: expiresAt.toISOString() }, createdAt: now },
    });
    return true;
  });
  if (!recorded || !checkout.url) {
    await expireCheckoutQuietly(checkout.id);
    return fail("Cette inscription vient de changer : rechargez la page.");
  }
  return { ok: true, url: checkout.url };
}

export type SavedCard = { customerId: string; paymentMethodId: string };

/**
 * Before a `checkout.session.completed` in setup mode is applied: the card it saved, read
 * from its SetupIntent (outside any transaction). "unavailable" when Stripe cannot say: the
 * webhook then answers 503 and Stripe sends the event again.
 */
export async function savedCardOf(event: Stripe.Event): Promise<SavedCard | null | "unavailable"> {
  if (event.type !== "checkout.session.completed" || event.data.object.mode !== "setup") return null;
  const setupIntentId = typeof event.data.object.setup_intent === "string" ? event.data.object.setup_intent : (event.data.object.setup_intent?.id ?? null);
  const stripe = getStripe();
  if (!setupIntentId || !stripe) return null;
  try {
    const intent = await stripe.setupIntents.retrieve(setupIntentId);
    const customerId = typeof intent.customer === "string" ? intent.customer : (intent.customer?.id ?? null);
    const paymentMethodId = typeof intent.payment_method === "string" ? intent.payment_method : (intent.payment_method?.id ?? null);
    return intent.status === "succeeded" && customerId && paymentMethodId ? { customerId, paymentMethodId } : null;
  } catch (error) {
    logger.warn("stripe setup intent not retrieved", { setupIntentId, error: describeStripeError(error) });
    return "unavailable";
  }
}

/**
 * A card was saved (the webhook, in its transaction): the held seat becomes a confirmed
 * enrolment, with its convocation, and the charges are planned from the withdrawal period's
 * end; or, after a refused charge, the new card replaces the old one and is tried at once.
 */
export async function applyCardSaved(tx: Tx, checkout: Stripe.Checkout.Session, card: SavedCard | null, now: Date): Promise<void> {
  const enrolmentId = checkout.metadata?.enrolmentId || checkout.client_reference_id;
  if (!enrolmentId || !card) {
    logger.warn("stripe card setup completed without a card to record", { checkoutSessionId: checkout.id });
    return;
  }
  const found = await tx.enrolment.findUnique({ where: { id: enrolmentId }, select: { sessionId: true } });
  if (!found) return;
  await lockSession(tx, found.sessionId);
  const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, include: { user: { select: { id: true, email: true, name: true } }, contract: { omit: { pdf: true } } } });
  const contract = enrolment.contract;
  if (!contract?.acceptedAt || !contract.withdrawalEndsAt || contract.withdrawnAt) {
    logger.warn("stripe card setup completed for a contract not accepted or withdrawn", { checkoutSessionId: checkout.id });
    return;
  }
  await tx.trainingContract.update({ where: { id: contract.id }, data: { stripeCustomerId: card.customerId, stripePaymentMethodId: card.paymentMethodId, cardSavedAt: now } });
  const audit = (action: string, data: object) => tx.auditLog.create({ data: { actorId: null, action, entityType: "Enrolment", entityId: enrolmentId, data: { checkoutSessionId: checkout.id, ...data }, createdAt: now } });

  if (enrolment.status === "CONFIRMED") {
    const { count } = await tx.contractCharge.updateMany({ where: { contractId: contract.id, status: "FAILED" }, data: { nextAttemptAt: now } });
    await audit("contract.card_replaced", { retried: count });
    return;
  }
  if (enrolment.status !== "PENDING_PAYMENT" || enrolment.stripeCheckoutSessionId !== checkout.id) {
    await audit("contract.card_saved_late", { status: enrolment.status });
    return;
  }
  const session = await loadSessionForMail(tx, enrolment.sessionId);
  if (!session) return;
  const { count } = await tx.enrolment.updateMany({
    where: { id: enrolmentId, status: "PENDING_PAYMENT" },
    data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null },
  });
  if (count !== 1) throw new Error(`Enrolment ${enrolmentId} changed while its session was locked`);
  const plan = chargePlan({ priceCents: contract.priceCents, periodEnd: contract.withdrawalEndsAt, lastSlotEndsAt: session.slots.at(-1)?.endsAt ?? null });
  for (const charge of plan) {
    await tx.contractCharge.create({ data: { contractId: contract.id, kind: charge.kind, amountCents: charge.amountCents, dueAt: charge.dueAt, nextAttemptAt: charge.dueAt } });
  }
  await enqueueConvocation(tx, { session, learner: enrolment.user, enrolmentId, now });
  await audit("enrolment.confirmed", { sessionId: session.id, contract: true, charges: plan.map((c) => ({ kind: c.kind, amountCents: c.amountCents, dueAt: c.dueAt.toISOString() })) });
}

// ───────────────────────────── Withdrawing ─────────────────────────────

export type WithdrawResult = { ok: true; already: boolean; withdrawnAt: Date } | Failure;

/**
 * L6353-5: the learner withdraws, during the period, by one button. The enrolment is
 * cancelled, its seat goes to the waiting list (the cancellation's own path), nothing is or
 * will be charged, and a mail confirms it. A second click answers with the first withdrawal.
 */
export async function withdrawFromContract(input: { user: { id: string }; enrolmentId: string; now?: Date }): Promise<WithdrawResult> {
  const { user, enrolmentId, now = new Date() } = input;
  const result = await withTxRetry(async (tx): Promise<WithdrawResult & { checkoutSessionId?: string | null }> => {
    const found = await tx.enrolment.findFirst({ where: { id: enrolmentId, userId: user.id, contract: { isNot: null } }, select: { sessionId: true } });
    if (!found) return fail("Ce contrat n'existe pas.");
    await lockSession(tx, found.sessionId);
    const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, include: { user: { select: { email: true, name: true } }, contract: { omit: { pdf: true } } } });
    const contract = enrolment.contract!;
    if (contract.withdrawnAt) return { ok: true, already: true, withdrawnAt: contract.withdrawnAt };
    if (!contract.acceptedAt || !contract.withdrawalEndsAt) return fail("Ce contrat n'a pas été accepté : vous pouvez simplement annuler votre inscription.");
    if (enrolment.status === "CANCELLED") return fail("Cette inscription est déjà annulée : rien ne vous sera prélevé.");
    if (!canWithdraw(contract, now)) {
      return fail(`Le délai de rétractation a pris fin le ${formatDateTime(withdrawalLastInstant(contract.withdrawalEndsAt))}. Pour annuler, consultez les conditions de votre contrat ou contactez l'association.`);
    }
    const marked = await tx.trainingContract.updateMany({ where: { id: contract.id, withdrawnAt: null }, data: { withdrawnAt: now } });
    if (marked.count !== 1) throw new Error(`Contract ${contract.id} changed while its session was locked`);
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, status: enrolment.status },
      data: { status: "CANCELLED", cancelReason: WITHDRAWAL_REASON, cancelledAt: now, holdExpiresAt: null, offerExpiresAt: null, ...(enrolment.paymentStatus === "PENDING" ? { paymentStatus: "NOT_REQUIRED" as const } : {}) },
    });
    if (count !== 1) throw new Error(`Enrolment ${enrolmentId} changed while its session was locked`);
    await tx.contractCharge.updateMany({ where: { contractId: contract.id, status: { in: ["SCHEDULED", "FAILED"] } }, data: { status: "CANCELLED" } });
    if (holdsSeat(enrolment.status)) {
      await tx.session.updateMany({ where: { id: enrolment.sessionId, seatsTaken: { gt: 0 } }, data: { seatsTaken: { decrement: 1 } } });
      await offerSeatToNextInLine(tx, enrolment.sessionId, now);
    }
    const session = await loadSessionForMail(tx, enrolment.sessionId);
    await enqueueMail(tx, {
      template: "contract-withdrawn",
      to: enrolment.user.email,
      data: { name: enrolment.user.name, moduleTitle: session?.module.title ?? "", dates: session ? sessionDates(session.slots) : "", withdrawnAt: formatDateTime(now), url: mySpaceUrl() },
    });
    await tx.auditLog.create({
      data: { actorId: user.id, action: "contract.withdrawn", entityType: "Enrolment", entityId: enrolmentId, reason: WITHDRAWAL_REASON, data: { sessionId: enrolment.sessionId, previousStatus: enrolment.status }, createdAt: now },
    });
    return { ok: true, already: false, withdrawnAt: now, checkoutSessionId: enrolment.status === "PENDING_PAYMENT" ? enrolment.stripeCheckoutSessionId : null };
  });
  if (result.ok && "checkoutSessionId" in result && result.checkoutSessionId) await expireCheckoutQuietly(result.checkoutSessionId);
  if (!result.ok) return result;
  return { ok: true, already: result.already, withdrawnAt: result.withdrawnAt };
}

/** Whether this enrolment of the learner is under a contrat de formation. */
export async function hasContract(input: { userId: string; enrolmentId: string }): Promise<boolean> {
  return (await db.trainingContract.count({ where: { enrolmentId: input.enrolmentId, enrolment: { userId: input.userId } } })) > 0;
}
