/**
 * The contrat de formation at the module level, against a real database (SQLite, or
 * PostgreSQL with TEST_DATABASE=postgresql) and the fake of Stripe's HTTP API: the card is
 * saved by Checkout in setup mode (webhooks signed and verified for real), the charges job
 * runs with the clock set to the end of the withdrawal period, and the failure path keeps then
 * frees the seat. The app's modules are imported after the database and Stripe env are set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { signEvent, startFakeStripe, stripeEnv, stripeEvent, type FakeStripe, type TestPaymentMethod } from "../support/fake-stripe";
import { createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

type Contracts = typeof import("~/modules/contracts/contract.server");
type Charges = typeof import("~/modules/contracts/charges.server");
let contracts: Contracts;
let charges: Charges;
let enrolment: typeof import("~/modules/enrolment/enrolment.server");
let handleStripeWebhook: typeof import("~/modules/payments/checkout.server").handleStripeWebhook;
let testDb: Db;
let fake: FakeStripe;
let closeDb: (() => Promise<void>) | undefined;
let moduleId = "";
let staffEmail = "";

const DAY = 24 * 3600_000;

beforeAll(async () => {
  fake = await startFakeStripe();
  Object.assign(process.env, { APP_URL: "http://maillon.test", ...stripeEnv(fake) });
  ({ testDb, close: closeDb } = await openTestDatabase("training_contract"));
  contracts = await import("~/modules/contracts/contract.server");
  charges = await import("~/modules/contracts/charges.server");
  enrolment = await import("~/modules/enrolment/enrolment.server");
  ({ handleStripeWebhook } = await import("~/modules/payments/checkout.server"));
  moduleId = (await createModule(testDb, { title: "Sensibilisation et compréhension de l'inclusion numérique", priceCents: 18_050 })).id;
  staffEmail = (await createUser(testDb, { roles: ["ADMIN"], name: "Salomé Ferrand" })).email;
});

afterAll(async () => {
  await closeDb?.();
  await fake?.stop();
});

const person = async (name = "Anaïs Nguyễn-Bérard") => {
  const u = await createUser(testDb, { name });
  return { id: u.id, email: u.email, name: u.name };
};
const seatsOf = async (sessionId: string) => (await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken;
const outbox = (to: string, template: string) => testDb.outboxMail.count({ where: { to, template } });
const contractOf = (enrolmentId: string) => testDb.trainingContract.findUniqueOrThrow({ where: { enrolmentId }, include: { charges: { orderBy: { dueAt: "asc" } } } });
const deliver = (event: unknown) => {
  const signed = signEvent(event);
  return handleStripeWebhook({ rawBody: signed.body, signature: signed.signature });
};

/** Enrols by card, accepts the contract, saves `card` at the fake: a confirmed enrolment whose charges wait for the period's end. */
async function contracted(input: { capacity?: number; card?: TestPaymentMethod; who?: Awaited<ReturnType<typeof person>> } = {}) {
  const session = await createSession(testDb, { moduleId, capacity: input.capacity ?? 5, priceCents: 18_050 });
  const learner = input.who ?? (await person());
  const enrolled = await enrolment.enrolSelf({ user: learner, sessionId: session.id, funding: "CARD" });
  expect(enrolled).toMatchObject({ ok: true, status: "PENDING_PAYMENT" });
  if (!enrolled.ok) throw new Error("not enrolled");
  const enrolmentId = enrolled.enrolmentId;
  await contracts.issueContract({ enrolmentId });
  const issued = await contractOf(enrolmentId);
  expect(await contracts.acceptContract({ user: learner, enrolmentId, name: learner.name, sha256: issued.sha256, ip: "203.0.113.7" })).toEqual({ ok: true });
  const setup = await contracts.startCardSetup({ user: learner, enrolmentId });
  expect(setup.ok).toBe(true);
  const checkoutId = (await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).stripeCheckoutSessionId!;
  expect((await deliver(stripeEvent("checkout.session.completed", fake.completeSetup(checkoutId, input.card ?? "pm_card_visa")))).status).toBe(200);
  const contract = await contractOf(enrolmentId);
  return { session, learner, enrolmentId, contract, periodEnd: contract.withdrawalEndsAt! };
}

describe("saving the card", () => {
  it("takes no money, confirms the seat with its convocation, and plans 30 % at the period's end and the balance after the training", async () => {
    const { session, learner, enrolmentId, contract, periodEnd } = await contracted();
    const row = await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } });
    expect(row).toMatchObject({ status: "CONFIRMED", paymentStatus: "PENDING", holdExpiresAt: null });
    expect(await seatsOf(session.id)).toBe(1);
    expect(await outbox(learner.email, "convocation")).toBe(1);
    expect(fake.paymentIntents.filter((p) => p.customer === contract.stripeCustomerId)).toHaveLength(0);
    expect(contract).toMatchObject({ acceptedName: learner.name, acceptedIp: "203.0.113.7", acceptedSha256: contract.sha256, stripePaymentMethodId: "pm_card_visa" });
    const lastSlotEnd = session.slots.at(-1)!.endsAt;
    expect(contract.charges.map((c) => [c.kind, c.amountCents, c.dueAt.toISOString(), c.status])).toEqual([
      ["DEPOSIT", 5_415, periodEnd.toISOString(), "SCHEDULED"],
      ["BALANCE", 12_635, lastSlotEnd.toISOString(), "SCHEDULED"],
    ]);
    // The request to Stripe was a Checkout Session in setup mode for a customer.
    const create = fake.requests.find((r) => r.path === "/v1/checkout/sessions" && r.form.client_reference_id === enrolmentId)!;
    expect(create.form).toMatchObject({ mode: "setup", customer: contract.stripeCustomerId, "metadata[enrolmentId]": enrolmentId });
    expect(create.form).not.toHaveProperty("line_items[0][price_data][unit_amount]");
  });

  it("keeps the issued document: issuing again changes neither its bytes nor its hash", async () => {
    const { enrolmentId, contract } = await contracted();
    await contracts.issueContract({ enrolmentId, now: new Date(Date.now() + DAY) });
    const again = await contractOf(enrolmentId);
    expect(again.sha256).toBe(contract.sha256);
    expect(Buffer.from(again.pdf).equals(Buffer.from(contract.pdf))).toBe(true);
  });
});

describe("the charges job", () => {
  it("charges nothing a minute before the period ends, then the deposit exactly once, even with two runs at once", async () => {
    const { enrolmentId, contract, periodEnd } = await contracted();
    const mine = () => fake.paymentIntents.filter((p) => p.customer === contract.stripeCustomerId);
    await charges.runContractCharges(new Date(periodEnd.getTime() - 60_000));
    expect(mine()).toHaveLength(0);

    // Two runs at once (on PostgreSQL, two connections racing for the same claim).
    await Promise.all([charges.runContractCharges(periodEnd), charges.runContractCharges(periodEnd)]);
    expect(mine()).toHaveLength(1);
    await charges.runContractCharges(new Date(periodEnd.getTime() + 60_000));
    expect(mine().map((p) => p.amount)).toEqual([5_415]);
    const deposit = (await contractOf(enrolmentId)).charges[0]!;
    expect(mine()[0]!.idempotencyKey).toBe(`maillon-charge-${deposit.id}-1`);
    expect(deposit).toMatchObject({ kind: "DEPOSIT", status: "SUCCEEDED", stripePaymentIntentId: mine()[0]!.id });
    // The payment became a success in the one place that records card payments.
    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({ paymentStatus: "PAID", stripePaymentIntentId: mine()[0]!.id });
    expect(await testDb.auditLog.count({ where: { entityId: enrolmentId, action: "payment.succeeded" } })).toBe(1);
  });

  it("takes the balance once the training is over, and a claim left by a crashed run is taken again with the same key", async () => {
    const { session, enrolmentId, contract, periodEnd } = await contracted();
    await charges.runContractCharges(periodEnd);
    const balance = (await contractOf(enrolmentId)).charges[1]!;
    const over = session.slots.at(-1)!.endsAt;
    // Another instance claimed it, then died before recording anything.
    await testDb.contractCharge.update({ where: { id: balance.id }, data: { status: "CHARGING", claimedAt: over, attempts: 1 } });
    await charges.runContractCharges(new Date(over.getTime() + 60_000));
    expect((await testDb.contractCharge.findUniqueOrThrow({ where: { id: balance.id } })).status).toBe("CHARGING");
    await charges.runContractCharges(new Date(over.getTime() + 11 * 60_000));
    const mine = fake.paymentIntents.filter((p) => p.customer === contract.stripeCustomerId);
    expect(mine.map((p) => [p.amount, p.idempotencyKey])).toEqual([
      [5_415, `maillon-charge-${contract.charges[0]!.id}-1`],
      [12_635, `maillon-charge-${balance.id}-1`],
    ]);
    expect((await testDb.contractCharge.findUniqueOrThrow({ where: { id: balance.id } })).status).toBe("SUCCEEDED");
  });
});

describe("a card refused at the end of the period", () => {
  it("keeps the seat three days, tells the learner and staff once, tries daily, then frees the seat for the waiting list", async () => {
    const { session, learner, enrolmentId, contract, periodEnd } = await contracted({ capacity: 1, card: "pm_card_chargeDeclined" });
    const waiting = await person("Zoé Mbappé-Lemaire");
    expect(await enrolment.enrolSelf({ user: waiting, sessionId: session.id, funding: "STRUCTURE" })).toMatchObject({ ok: true, status: "WAITLISTED" });

    expect(await charges.runContractCharges(periodEnd)).toMatchObject({ charged: 0, failed: 1 });
    let deposit = (await contractOf(enrolmentId)).charges[0]!;
    expect(deposit).toMatchObject({ status: "FAILED", graceEndsAt: new Date(periodEnd.getTime() + 3 * DAY), nextAttemptAt: new Date(periodEnd.getTime() + DAY) });
    expect(await seatsOf(session.id)).toBe(1);
    expect(await outbox(learner.email, "contract-charge-failed")).toBe(1);
    expect(await outbox(staffEmail, "contract-charge-staff")).toBe(1);
    const failedMail = await testDb.outboxMail.findFirstOrThrow({ where: { to: learner.email, template: "contract-charge-failed" } });
    expect(failedMail.text).toContain("54,15");
    expect(failedMail.text).toContain("la carte a été refusée");

    // A day later: tried again with a new key, nobody told twice.
    await charges.runContractCharges(new Date(periodEnd.getTime() + DAY));
    const keys = fake.paymentIntents.filter((p) => p.customer === contract.stripeCustomerId).map((p) => p.idempotencyKey);
    expect(keys).toEqual([`maillon-charge-${deposit.id}-1`, `maillon-charge-${deposit.id}-2`]);
    expect(await outbox(learner.email, "contract-charge-failed")).toBe(1);
    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({ status: "CONFIRMED" });

    // The grace is over: the seat goes to the head of the waiting list.
    expect(await charges.runContractCharges(new Date(periodEnd.getTime() + 3 * DAY))).toMatchObject({ released: 1 });
    deposit = (await contractOf(enrolmentId)).charges[0]!;
    expect(deposit.status).toBe("UNPAID");
    expect((await contractOf(enrolmentId)).charges[1]!.status).toBe("CANCELLED");
    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({ status: "CANCELLED", paymentStatus: "NOT_REQUIRED" });
    expect((await testDb.enrolment.findFirstOrThrow({ where: { userId: waiting.id } })).status).toBe("OFFERED");
    expect(await seatsOf(session.id)).toBe(1);
    expect(await outbox(learner.email, "enrolment-cancelled")).toBe(1);
    expect(await outbox(waiting.email, "waitlist-offer")).toBe(1);
    expect(await testDb.outboxMail.count({ where: { to: staffEmail, template: "contract-charge-staff", subject: { contains: "Place libérée" } } })).toBe(1);
    // Nothing more happens afterwards.
    await charges.runContractCharges(new Date(periodEnd.getTime() + 4 * DAY));
    expect(fake.paymentIntents.filter((p) => p.customer === contract.stripeCustomerId)).toHaveLength(2);
  });

  it("charges the new card as soon as the learner saves another one during the grace", async () => {
    const { learner, enrolmentId, contract, periodEnd } = await contracted({ card: "pm_card_authenticationRequired" });
    await charges.runContractCharges(periodEnd);
    const failedMail = await testDb.outboxMail.findFirstOrThrow({ where: { to: learner.email, template: "contract-charge-failed" } });
    expect(failedMail.text).toContain("votre banque demande que vous confirmiez le paiement vous-même");
    const setup = await contracts.startCardSetup({ user: learner, enrolmentId });
    expect(setup.ok).toBe(true);
    const checkoutId = (await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).stripeCheckoutSessionId!;
    expect((await deliver(stripeEvent("checkout.session.completed", fake.completeSetup(checkoutId, "pm_card_visa")))).status).toBe(200);
    const later = new Date(Date.now() + 60_000);
    expect(await charges.runContractCharges(new Date(Math.max(later.getTime(), periodEnd.getTime() + 60_000)))).toMatchObject({ charged: 1 });
    const mine = fake.paymentIntents.filter((p) => p.customer === contract.stripeCustomerId);
    expect(mine.map((p) => [p.payment_method, p.status])).toEqual([
      ["pm_card_authenticationRequired", "requires_payment_method"],
      ["pm_card_visa", "succeeded"],
    ]);
  });
});

describe("withdrawing", () => {
  it("cancels, offers the seat to the waiting list, cancels the charges, mails a confirmation, and the job takes nothing", async () => {
    const { session, learner, enrolmentId, contract, periodEnd } = await contracted({ capacity: 1 });
    const waiting = await person("Иван Петров");
    await enrolment.enrolSelf({ user: waiting, sessionId: session.id, funding: "OPCO" });
    const lastMinute = new Date(periodEnd.getTime() - 60_000);
    const result = await contracts.withdrawFromContract({ user: learner, enrolmentId, now: lastMinute });
    expect(result).toEqual({ ok: true, already: false, withdrawnAt: lastMinute });
    expect(await contracts.withdrawFromContract({ user: learner, enrolmentId, now: periodEnd })).toEqual({ ok: true, already: true, withdrawnAt: lastMinute });
    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({ status: "CANCELLED", paymentStatus: "NOT_REQUIRED" });
    expect((await testDb.enrolment.findFirstOrThrow({ where: { userId: waiting.id } })).status).toBe("OFFERED");
    expect((await contractOf(enrolmentId)).charges.map((c) => c.status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(await outbox(learner.email, "contract-withdrawn")).toBe(1);
    await charges.runContractCharges(periodEnd);
    expect(fake.paymentIntents.filter((p) => p.customer === contract.stripeCustomerId)).toHaveLength(0);
  });

  it("is refused from the first instant after the period, and for another learner's contract", async () => {
    const { learner, enrolmentId, periodEnd } = await contracted();
    const other = await person("Léa Martin");
    expect(await contracts.withdrawFromContract({ user: other, enrolmentId, now: new Date(periodEnd.getTime() - 60_000) })).toEqual({ ok: false, message: "Ce contrat n'existe pas." });
    const late = await contracts.withdrawFromContract({ user: learner, enrolmentId, now: periodEnd });
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.message).toMatch(/^Le délai de rétractation a pris fin le .* à 23:59\./);
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).status).toBe("CONFIRMED");
  });
});
