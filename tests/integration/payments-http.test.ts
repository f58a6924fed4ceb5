/**
 * Card payment through the real server over HTTP (built app, real database per
 * TEST_DATABASE, real SMTP), with only Stripe's HTTP API faked (tests/support/fake-stripe.ts)
 * and webhooks signed as Stripe signs them. The payment job runs in this process, with a
 * clock moved forward, against the same database and the same fake.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { postWebhook, signEvent, startFakeStripe, stripeEnv, stripeEvent, type FakeStripe } from "../support/fake-stripe";
import { recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { FACTORY_PASSWORD, createModule, createSession, createUser } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

type Checkout = typeof import("~/modules/payments/checkout.server");

let app: AppServer;
let fake: FakeStripe;
let smtp: TestSmtpServer;
let testDb: Db;
let checkout: Checkout;
let enrolment: typeof import("~/modules/enrolment/enrolment.server");
let moduleId = "";
let admin = { id: "", cookie: "" };

async function login(server: AppServer, email: string): Promise<string> {
  const res = await postForm(server, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}

/** A logged-in learner with a realistic name. */
async function learner(server: AppServer, name = "Anaïs Nguyễn-Bérard") {
  const user = await createUser(testDb, { name });
  return { id: user.id, email: user.email, name: user.name, cookie: await login(server, user.email) };
}

/** The page a redirect leads to, with the flash cookie it set (what a browser would show). */
async function follow(server: AppServer, res: Response, cookie: string): Promise<string> {
  const flash = res.headers.getSetCookie().find((c) => c.startsWith("maillon_flash="))?.split(";")[0];
  const page = await fetch(`${server.url}${res.headers.get("location")}`, { headers: { Cookie: [cookie, flash].filter(Boolean).join("; ") } });
  return page.text();
}

/**
 * A seat held for a card payment by Checkout in payment mode, then "Payer maintenant". Since
 * the contrat de formation (decision 031) the enrolment form leads to the contract instead;
 * this path stays for card enrolments held without a contract (made before it), and its
 * webhook machinery is the one every card payment goes through.
 */
async function enrolByCard(server: AppServer, person: { id: string; email: string; name: string; cookie: string }, sessionId: string) {
  const held = await enrolment.enrolSelf({ user: person, sessionId, funding: "CARD" });
  expect(held).toMatchObject({ ok: true, status: "PENDING_PAYMENT" });
  if (!held.ok) throw new Error("no seat held");
  return postForm(server, `/mon-espace/inscriptions/${held.enrolmentId}`, { intent: "pay" }, { cookie: person.cookie });
}
const enrolmentOf = (userId: string, sessionId: string) => testDb.enrolment.findUniqueOrThrow({ where: { sessionId_userId: { sessionId, userId } } });
const seatsOf = async (sessionId: string) => (await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken;
const outbox = (to: string, template: string) => testDb.outboxMail.count({ where: { to, template } });
const paidSession = (capacity = 5) => createSession(testDb, { moduleId, capacity, priceCents: 18_050 });
const webhook = (event: unknown) => postWebhook(app.url, signEvent(event));
const mailTo = (email: string, subject: string) => smtp.waitFor((m) => recipientsOf(m).includes(email) && (m.subject ?? "").includes(subject));

/** Enrols by card and returns the enrolment with its Checkout Session at the fake. */
async function heldSeat(sessionId: string, who?: Awaited<ReturnType<typeof learner>>) {
  const person = who ?? (await learner(app));
  const res = await enrolByCard(app, person, sessionId);
  expect(res.status).toBe(303);
  const enrolment = await enrolmentOf(person.id, sessionId);
  const session = fake.sessions.get(enrolment.stripeCheckoutSessionId ?? "");
  expect(session).toBeTruthy();
  return { person, enrolment, session: session!, location: res.headers.get("location") ?? "" };
}

/** Pays at the fake and delivers the signed `checkout.session.completed`. */
async function payAndConfirm(sessionId: string) {
  const held = await heldSeat(sessionId);
  const completed = stripeEvent("checkout.session.completed", fake.pay(held.session.id));
  expect((await webhook(completed)).status).toBe(200);
  return { ...held, enrolment: await enrolmentOf(held.person.id, sessionId) };
}

beforeAll(async () => {
  const url = testDatabaseUrl("payments_http");
  fake = await startFakeStripe();
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url, env: stripeEnv(fake) });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  // The payment job, run here: the same database, the same fake Stripe, mail links to the app.
  Object.assign(process.env, { DATABASE_URL: url, APP_URL: app.url, ...stripeEnv(fake) });
  const { connectDb } = await import("~/utils/db.server");
  await connectDb();
  checkout = await import("~/modules/payments/checkout.server");
  enrolment = await import("~/modules/enrolment/enrolment.server");
  moduleId = (await createModule(testDb, { title: "Pratiques d'accompagnement vers le numérique" })).id;
  const staff = await createUser(testDb, { roles: ["ADMIN"] });
  admin = { id: staff.id, cookie: await login(app, staff.email) };
});

afterAll(async () => {
  await testDb?.$disconnect();
  const { db } = await import("~/utils/db.server");
  await db.$disconnect();
  await app?.stop();
  await smtp?.stop();
  await fake?.stop();
});

describe("starting a card payment", () => {
  it("offers card on a paid session only", async () => {
    const person = await learner(app);
    const paid = await paidSession();
    const free = await createSession(testDb, { moduleId, isFree: true, priceCents: 0 });
    const page = (id: string) => fetch(`${app.url}/sessions/${id}`, { headers: { Cookie: person.cookie } }).then((r) => r.text());
    expect(await page(paid.id)).toContain('value="CARD"');
    expect(await page(free.id)).not.toContain('value="CARD"');
  });

  it("holds the seat and sends the learner to the Checkout Session, created with an idempotency key", async () => {
    const session = await paidSession();
    const before = Date.now();
    const { person, enrolment, location, session: cs } = await heldSeat(session.id);
    expect(location).toBe(cs.url);
    expect(location.startsWith(`${fake.url}/checkout/cs_test_`)).toBe(true);
    expect(enrolment).toMatchObject({ status: "PENDING_PAYMENT", funding: "CARD", paymentStatus: "PENDING", amountCents: 18_050, confirmedAt: null });
    const hold = enrolment.holdExpiresAt!.getTime();
    expect(hold).toBeGreaterThanOrEqual(before + 31 * 60_000);
    expect(hold).toBeLessThanOrEqual(Date.now() + 36 * 60_000);
    expect(await seatsOf(session.id)).toBe(1);

    const create = fake.requests.find((r) => r.path === "/v1/checkout/sessions" && r.form.client_reference_id === enrolment.id)!;
    expect(create.idempotencyKey).toBe(`maillon-checkout-${enrolment.id}-0`);
    expect(create.form).toMatchObject({
      mode: "payment",
      "metadata[enrolmentId]": enrolment.id,
      "line_items[0][price_data][unit_amount]": "18050",
      "line_items[0][price_data][currency]": "eur",
      expires_at: String(Math.floor(hold / 1000)),
    });
    expect(create.form.success_url).toBe(`${app.url}/mon-espace/paiement/${enrolment.id}?etat=paye`);
    // No convocation before the payment.
    expect(await outbox(person.email, "convocation")).toBe(0);
    expect(await testDb.auditLog.count({ where: { entityId: enrolment.id, action: "enrolment.payment_pending" } })).toBe(1);
  });

  it("keeps the seat when Stripe is unreachable, says so in French, and lets the learner retry", async () => {
    const session = await paidSession();
    const person = await learner(app, "Grégoire Ó Súilleabháin");
    fake.setOutage("error");
    try {
      const res = await enrolByCard(app, person, session.id);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/mon-espace");
      const page = await follow(app, res, person.cookie);
      expect(page).toContain("Le service de paiement ne répond pas pour le moment");
      expect(page).toContain("Payer maintenant");
      const pending = await enrolmentOf(person.id, session.id);
      expect(pending).toMatchObject({ status: "PENDING_PAYMENT", stripeCheckoutSessionId: null });
      expect(await seatsOf(session.id)).toBe(1);

      // Connection cut: same answer, nothing changes.
      fake.setOutage("refuse");
      const again = await postForm(app, `/mon-espace/inscriptions/${pending.id}`, { intent: "pay" }, { cookie: person.cookie });
      expect(again.status).toBe(302);
      expect(await follow(app, again, person.cookie)).toContain("réessayez avec le bouton « Payer maintenant »");
      expect(await enrolmentOf(person.id, session.id)).toMatchObject({ status: "PENDING_PAYMENT", stripeCheckoutSessionId: null });

      fake.setOutage("none");
      const retry = await postForm(app, `/mon-espace/inscriptions/${pending.id}`, { intent: "pay" }, { cookie: person.cookie });
      expect(retry.status).toBe(303);
      const paying = await enrolmentOf(person.id, session.id);
      expect(retry.headers.get("location")).toBe(fake.sessions.get(paying.stripeCheckoutSessionId!)?.url);
      // Each attempt had its own key: Stripe replays a key's stored error for 24 hours.
      const keys = fake.requests.filter((r) => r.form.client_reference_id === pending.id).map((r) => r.idempotencyKey);
      expect(keys).toEqual([`maillon-checkout-${pending.id}-0`, `maillon-checkout-${pending.id}-2`]);

      // Paying again later reuses the open Checkout Session.
      const creates = fake.requests.filter((r) => r.path === "/v1/checkout/sessions").length;
      const reuse = await postForm(app, `/mon-espace/inscriptions/${pending.id}`, { intent: "pay" }, { cookie: person.cookie });
      expect(reuse.headers.get("location")).toBe(retry.headers.get("location"));
      expect(fake.requests.filter((r) => r.path === "/v1/checkout/sessions").length).toBe(creates);
    } finally {
      fake.setOutage("none");
    }
  });
});

describe("the webhook", () => {
  it("confirms the enrolment on a signed checkout.session.completed and sends the convocation", async () => {
    const session = await paidSession();
    const { person, enrolment } = await payAndConfirm(session.id);
    expect(enrolment).toMatchObject({ status: "CONFIRMED", paymentStatus: "PAID", holdExpiresAt: null });
    expect(enrolment.stripePaymentIntentId).toMatch(/^pi_test_/);
    expect(enrolment.confirmedAt).toBeTruthy();
    expect(await seatsOf(session.id)).toBe(1);
    const mail = await mailTo(person.email, "Convocation");
    expect(mail.attachments.some((a) => a.filename === "convocation.ics")).toBe(true);
    expect(await testDb.auditLog.count({ where: { entityId: enrolment.id, action: "enrolment.confirmed" } })).toBe(1);
    const page = await fetch(`${app.url}/mon-espace/paiement/${enrolment.id}?etat=paye`, { headers: { Cookie: person.cookie } }).then((r) => r.text());
    expect(page).toContain("Paiement reçu : inscription confirmée");
  });

  it("applies the same event three times and an expired event, in shuffled orders, once", async () => {
    for (const order of [
      ["expired", "completed", "completed", "completed"],
      ["completed", "expired", "completed", "completed"],
      ["completed", "completed", "completed", "expired"],
    ]) {
      const session = await paidSession(1);
      const { person, session: cs, enrolment } = await heldSeat(session.id);
      const paid = fake.pay(cs.id);
      const completed = stripeEvent("checkout.session.completed", paid);
      const expired = stripeEvent("checkout.session.expired", { ...paid, status: "expired", payment_status: "unpaid", payment_intent: null });
      for (const name of order) expect((await webhook(name === "completed" ? completed : expired)).status).toBe(200);

      const row = await enrolmentOf(person.id, session.id);
      expect(row, order.join(",")).toMatchObject({ status: "CONFIRMED", paymentStatus: "PAID", stripePaymentIntentId: paid.payment_intent });
      expect(await seatsOf(session.id)).toBe(1);
      expect(await outbox(person.email, "convocation")).toBe(1);
      expect(await outbox(person.email, "payment-refunded")).toBe(0);
      const stored = await testDb.stripeEvent.findMany({ where: { id: { in: [completed.id, expired.id] } } });
      expect(stored).toHaveLength(2);
      expect(stored.every((e) => e.processedAt !== null)).toBe(true);
      expect(await testDb.auditLog.count({ where: { entityId: enrolment.id, action: { startsWith: "enrolment.confirmed" } } })).toBe(1);
    }
  });

  it("applies an event once when its deliveries arrive together", async () => {
    const session = await paidSession();
    const { person, session: cs } = await heldSeat(session.id);
    const completed = stripeEvent("checkout.session.completed", fake.pay(cs.id));
    const answers = await Promise.all([1, 2, 3].map(() => webhook(completed)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await outbox(person.email, "convocation")).toBe(1);
    expect(await seatsOf(session.id)).toBe(1);
    expect(await testDb.stripeEvent.count({ where: { id: completed.id } })).toBe(1);
  });

  it("answers 400 to a bad or missing signature and stores nothing", async () => {
    const session = await paidSession();
    const { person, session: cs } = await heldSeat(session.id);
    const event = stripeEvent("checkout.session.completed", fake.pay(cs.id));
    const signed = signEvent(event);
    const attempts = [
      { body: signed.body.replace('"paid"', '"unpaid"'), signature: signed.signature },
      { body: signed.body, signature: signEvent(event, "whsec_not_ours").signature },
      { body: signed.body, signature: null },
      { body: signed.body, signature: "t=1,v1=deadbeef" },
    ];
    for (const attempt of attempts) {
      const res = await postWebhook(app.url, attempt);
      expect(res.status).toBe(400);
      expect(await res.text()).toBe("Signature Stripe invalide.");
    }
    expect(await testDb.stripeEvent.count({ where: { id: event.id } })).toBe(0);
    expect((await enrolmentOf(person.id, session.id)).status).toBe("PENDING_PAYMENT");
  });

  it("stores an unknown event type and answers 200", async () => {
    const event = stripeEvent("customer.created", { id: "cus_test_1", object: "customer" });
    const res = await webhook(event);
    expect(res.status).toBe(200);
    const stored = await testDb.stripeEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored).toMatchObject({ type: "customer.created" });
    expect(stored.processedAt).not.toBeNull();
    expect((await webhook(event)).status).toBe(200);
    expect(await testDb.stripeEvent.count({ where: { id: event.id } })).toBe(1);
  });
});

describe("holds and refunds", () => {
  it("releases a lapsed hold to the waiting list, and refunds a payment that arrives too late", async () => {
    const session = await paidSession(1);
    const { person, enrolment, session: cs } = await heldSeat(session.id);
    const next = await learner(app, "Фёдор Достоевский");
    const joined = await postForm(app, `/sessions/${session.id}/inscription`, { funding: "OPCO" }, { cookie: next.cookie });
    expect(await follow(app, joined, next.cookie)).toContain("liste d'attente");

    // Other tests' holds may lapse too: look at this one.
    await checkout.releaseExpiredHolds(new Date(enrolment.holdExpiresAt!.getTime() - 1000));
    expect((await enrolmentOf(person.id, session.id)).status).toBe("PENDING_PAYMENT");
    expect(await checkout.releaseExpiredHolds(new Date(enrolment.holdExpiresAt!.getTime() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await enrolmentOf(person.id, session.id)).toMatchObject({ status: "CANCELLED", cancelReason: "paiement non finalisé dans le délai", holdExpiresAt: null });
    expect((await enrolmentOf(next.id, session.id)).status).toBe("OFFERED");
    expect(await seatsOf(session.id)).toBe(1);
    expect(fake.requests.some((r) => r.path === `/v1/checkout/sessions/${cs.id}/expire`)).toBe(true);
    await mailTo(person.email, "Inscription annulée");

    // Stripe had taken the payment just before the expiry: no seat left, so it is refunded.
    const paid = fake.pay(cs.id);
    expect((await webhook(stripeEvent("checkout.session.completed", paid))).status).toBe(200);
    const refunded = await enrolmentOf(person.id, session.id);
    expect(refunded).toMatchObject({ status: "CANCELLED", paymentStatus: "REFUNDED", stripePaymentIntentId: paid.payment_intent });
    const refund = fake.refunds.find((r) => r.payment_intent === paid.payment_intent)!;
    expect(refund.idempotencyKey).toBe(`maillon-refund-${enrolment.id}-${paid.payment_intent}-0`);
    expect(refund.amount).toBe(18_050);
    expect((await mailTo(person.email, "Remboursement")).text).toContain("180,50");
    expect(await seatsOf(session.id)).toBe(1);
  });

  it("refunds a paid card enrolment cancelled by the learner, with an idempotency key", async () => {
    const session = await paidSession();
    const { person, enrolment } = await payAndConfirm(session.id);
    const res = await postForm(app, `/mon-espace/inscriptions/${enrolment.id}`, { intent: "cancel", reason: "" }, { cookie: person.cookie });
    expect(await follow(app, res, person.cookie)).toContain("Votre inscription est annulée");
    expect(await enrolmentOf(person.id, session.id)).toMatchObject({ status: "CANCELLED", paymentStatus: "REFUNDED" });
    const request = fake.requests.find((r) => r.path === "/v1/refunds" && r.form.payment_intent === enrolment.stripePaymentIntentId)!;
    expect(request.idempotencyKey).toBe(`maillon-refund-${enrolment.id}-${enrolment.stripePaymentIntentId}-0`);
    expect(request.form["metadata[enrolmentId]"]).toBe(enrolment.id);
    expect(await seatsOf(session.id)).toBe(0);
    await mailTo(person.email, "Remboursement");
  });

  it("keeps a cancellation when the refund fails, and the job refunds later with a new key", async () => {
    const session = await paidSession();
    const { enrolment } = await payAndConfirm(session.id);
    fake.setOutage("error");
    try {
      const res = await postForm(app, `/admin/sessions/${session.id}`, { intent: "cancel", reason: "Formatrice malade, session reportée" }, { cookie: admin.cookie });
      expect(res.status).toBe(302);
    } finally {
      fake.setOutage("none");
    }
    const owed = await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolment.id } });
    expect(owed).toMatchObject({ status: "CANCELLED", paymentStatus: "PAID" });
    expect(await testDb.auditLog.count({ where: { entityId: enrolment.id, action: "payment.refund_failed" } })).toBe(1);

    // Not before its back-off; then with attempt number 1.
    expect(await checkout.runPaymentJobs(new Date())).toMatchObject({ refunded: 0 });
    expect(await checkout.runPaymentJobs(new Date(Date.now() + 5 * 60_000))).toMatchObject({ refunded: 1 });
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).paymentStatus).toBe("REFUNDED");
    const keys = fake.requests.filter((r) => r.path === "/v1/refunds" && r.form.payment_intent === enrolment.stripePaymentIntentId).map((r) => r.idempotencyKey);
    expect(keys).toEqual([`maillon-refund-${enrolment.id}-${enrolment.stripePaymentIntentId}-0`, `maillon-refund-${enrolment.id}-${enrolment.stripePaymentIntentId}-1`]);
    expect(await checkout.runPaymentJobs(new Date(Date.now() + 60 * 60_000))).toMatchObject({ refunded: 0 });
  });
});

describe("without STRIPE_SECRET_KEY", () => {
  let plain: AppServer;
  let plainUrl = "";
  beforeAll(async () => {
    plainUrl = testDatabaseUrl("payments_off");
    plain = await startAppServer({ databaseUrl: plainUrl });
  });
  afterAll(async () => {
    await plain?.stop();
  });

  it("does not offer card, refuses a forged card enrolment in French, and refuses webhooks", async () => {
    const db = createDb(plainUrl);
    if (providerOf(plainUrl) === "sqlite") await configureSqlite(db);
    try {
      const m = await createModule(db);
      const session = await createSession(db, { moduleId: m.id, priceCents: 18_050 });
      const user = await createUser(db);
      const cookie = await login(plain, user.email);
      const page = await fetch(`${plain.url}/sessions/${session.id}`, { headers: { Cookie: cookie } }).then((r) => r.text());
      expect(page).toContain('value="OPCO"');
      expect(page).not.toContain('value="CARD"');
      const res = await postForm(plain, `/sessions/${session.id}/inscription`, { funding: "CARD" }, { cookie });
      expect(res.status).toBe(302);
      expect(await follow(plain, res, cookie)).toContain("Le paiement par carte n&#x27;est pas proposé pour le moment");
      expect(await db.enrolment.count({ where: { sessionId: session.id } })).toBe(0);
      expect((await postWebhook(plain.url, signEvent(stripeEvent("customer.created", {})))).status).toBe(503);
      expect(await db.stripeEvent.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});

describe("refunds made in Stripe and invoices", () => {
  const charge = (paymentIntent: string, amount: number) => ({ id: `ch_test_${paymentIntent}`, object: "charge", amount, amount_refunded: amount, refunded: true, payment_intent: paymentIntent, metadata: {} });

  it("invoices the card payment, then a dashboard refund cancels, frees the seat and issues a credit note", async () => {
    const session = await paidSession();
    const { enrolment, person } = await payAndConfirm(session.id);
    const invoice = await testDb.invoice.findFirstOrThrow({ where: { enrolmentId: enrolment.id, kind: "INVOICE" } });
    expect(invoice).toMatchObject({ funding: "CARD", buyerUserId: person.id, totalTtcCents: 18_050 });
    expect(invoice.paidAt).not.toBeNull();
    const res = await webhook(stripeEvent("charge.refunded", charge(enrolment.stripePaymentIntentId!, 18_050)));
    expect(res.status).toBe(200);
    expect(await enrolmentOf(person.id, session.id)).toMatchObject({ status: "CANCELLED", paymentStatus: "REFUNDED" });
    expect(await seatsOf(session.id)).toBe(0);
    expect(await testDb.invoice.count({ where: { creditedInvoiceId: invoice.id, totalTtcCents: 18_050 } })).toBe(1);
    expect(await outbox(person.email, "payment-refunded")).toBe(1);
    expect(await outbox((await testDb.user.findUniqueOrThrow({ where: { id: admin.id } })).email, "refund-recorded")).toBeGreaterThanOrEqual(1);
  });

  it("a refund arriving before the completion confirms nothing and sends no convocation", async () => {
    const session = await paidSession();
    const held = await heldSeat(session.id);
    const paidCheckout = fake.pay(held.session.id);
    expect((await webhook(stripeEvent("charge.refunded", charge(paidCheckout.payment_intent!, 18_050)))).status).toBe(200);
    expect((await webhook(stripeEvent("checkout.session.completed", paidCheckout))).status).toBe(200);
    expect(await enrolmentOf(held.person.id, session.id)).toMatchObject({ status: "CANCELLED", paymentStatus: "REFUNDED" });
    expect(await outbox(held.person.email, "convocation")).toBe(0);
    expect(await seatsOf(session.id)).toBe(0);
  });

  it("refuses a signature dated 10 minutes in the future", async () => {
    const event = stripeEvent("checkout.session.expired", { id: "cs_test_future", object: "checkout.session", metadata: {} });
    const body = JSON.stringify(event);
    const { default: Stripe } = await import("stripe");
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripeEnv(fake).STRIPE_WEBHOOK_SECRET!, timestamp: Math.floor(Date.now() / 1000) + 600 });
    const res = await postWebhook(app.url, { body, signature });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/dans le futur/);
    expect(await testDb.stripeEvent.count({ where: { id: event.id } })).toBe(0);
  });
});
