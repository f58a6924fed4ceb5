/**
 * A fake of the few Stripe API endpoints the portal calls, served over real HTTP on
 * 127.0.0.1 so the app's Stripe client (pointed here by STRIPE_API_URL) goes through its
 * whole request path: form encoding, Idempotency-Key header, error parsing. Like Stripe, it
 * answers a repeated idempotency key with the stored first answer (errors included). It can
 * play an outage (HTTP 500, or connections cut), serves a stand-in for the hosted payment
 * page, and builds signed webhook payloads exactly as Stripe signs them.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export type RecordedRequest = { method: string; path: string; idempotencyKey: string | null; form: Record<string, string> };
export type CheckoutSession = {
  id: string;
  object: "checkout.session";
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid";
  mode: "payment";
  currency: string;
  amount_total: number;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  expires_at: number;
  success_url: string;
  cancel_url: string;
  url: string | null;
  livemode: false;
};
export type Outage = "none" | "error" | "refuse";
export type SetupCheckoutSession = {
  id: string;
  object: "checkout.session";
  mode: "setup";
  status: "open" | "complete" | "expired";
  payment_status: "no_payment_required";
  currency: string;
  customer: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  setup_intent: string | null;
  expires_at: number;
  success_url: string;
  cancel_url: string;
  url: string | null;
  livemode: false;
};
/** Test cards as Stripe names them: one that pays, one declined, one whose bank wants the holder there. */
export type TestPaymentMethod = "pm_card_visa" | "pm_card_chargeDeclined" | "pm_card_authenticationRequired";
export type OffSessionPaymentIntent = { id: string; amount: number; customer: string; payment_method: string; idempotencyKey: string | null; status: "succeeded" | "requires_payment_method" };

export type FakeStripe = {
  url: string;
  requests: RecordedRequest[];
  sessions: Map<string, CheckoutSession>;
  refunds: { id: string; payment_intent: string; amount: number; idempotencyKey: string | null }[];
  setOutage: (outage: Outage) => void;
  /** Saved cards: Checkout in setup mode, its SetupIntents, and off-session PaymentIntents. */
  setupSessions: Map<string, SetupCheckoutSession>;
  paymentIntents: OffSessionPaymentIntent[];
  /** What Stripe does when the learner saves a card on the setup page. */
  completeSetup: (checkoutSessionId: string, paymentMethod?: TestPaymentMethod) => SetupCheckoutSession;
  /** What Stripe does when the learner pays: the session is complete and paid. */
  pay: (checkoutSessionId: string) => CheckoutSession;
  stop: () => Promise<void>;
};

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, CheckoutSession>();
  const refunds: FakeStripe["refunds"] = [];
  const replies = new Map<string, { status: number; body: unknown }>();
  let outage: Outage = "none";
  let base = "";
  const setup = savedCardsApi(() => base);

  const apiError = (status: number, type: string, message: string) => ({ status, body: { error: { type, message } } });

  function route(method: string, path: string, form: Record<string, string>, idempotencyKey: string | null): { status: number; body: unknown } {
    if (outage === "error") return apiError(500, "api_error", "Simulated outage");
    const saved = setup.route(method, path, form, idempotencyKey);
    if (saved) return saved;
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(form)) {
        const m = /^metadata\[(.+)\]$/.exec(k);
        if (m?.[1]) metadata[m[1]] = v;
      }
      const quantity = Number(form["line_items[0][quantity]"] ?? 1);
      const session: CheckoutSession = {
        id: id("cs"),
        object: "checkout.session",
        status: "open",
        payment_status: "unpaid",
        mode: "payment",
        currency: form.currency ?? form["line_items[0][price_data][currency]"] ?? "eur",
        amount_total: Number(form["line_items[0][price_data][unit_amount]"] ?? 0) * quantity,
        client_reference_id: form.client_reference_id ?? null,
        customer_email: form.customer_email ?? null,
        metadata,
        payment_intent: null,
        expires_at: Number(form.expires_at ?? Math.floor(Date.now() / 1000) + 24 * 3600),
        success_url: form.success_url ?? "",
        cancel_url: form.cancel_url ?? "",
        url: null,
        livemode: false,
      };
      session.url = `${base}/checkout/${session.id}`;
      if (session.expires_at * 1000 < Date.now() + 30 * 60_000 - 5_000) return apiError(400, "invalid_request_error", "expires_at must be at least 30 minutes from now");
      sessions.set(session.id, session);
      return { status: 200, body: session };
    }
    const retrieve = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === "GET" && retrieve) {
      const session = sessions.get(retrieve[1]!);
      return session ? { status: 200, body: session } : apiError(404, "invalid_request_error", "No such checkout.session");
    }
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === "POST" && expire) {
      const session = sessions.get(expire[1]!);
      if (!session) return apiError(404, "invalid_request_error", "No such checkout.session");
      if (session.status !== "open") return apiError(400, "invalid_request_error", `Only open sessions can be expired (this one is ${session.status})`);
      session.status = "expired";
      session.url = null;
      return { status: 200, body: session };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const paymentIntent = form.payment_intent ?? "";
      const paid = [...sessions.values()].find((s) => s.payment_intent === paymentIntent);
      if (!paid) return apiError(404, "invalid_request_error", "No such payment_intent");
      const refund = { id: id("re"), object: "refund", amount: Number(form.amount ?? paid.amount_total), currency: "eur", payment_intent: paymentIntent, status: "succeeded" };
      refunds.push({ id: refund.id, payment_intent: paymentIntent, amount: refund.amount, idempotencyKey });
      return { status: 200, body: refund };
    }
    return apiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path})`);
  }

  function checkoutPage(res: ServerResponse, sessionId: string) {
    const session = sessions.get(sessionId);
    if (!session) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Session de paiement inconnue");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Paiement (Stripe simulé)</title></head><body>` +
        `<h1>Paiement simulé</h1><p>Montant : ${(session.amount_total / 100).toFixed(2)} EUR — session ${escapeHtml(session.status)}</p>` +
        `<p><a href="${escapeHtml(session.success_url)}">Retour après paiement</a></p>` +
        `<p><a href="${escapeHtml(session.cancel_url)}">Abandonner le paiement</a></p></body></html>`,
    );
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      if (req.method === "GET" && url.pathname.startsWith("/setup/")) return setup.page(res, url.pathname.slice("/setup/".length));
      if (req.method === "GET" && url.pathname.startsWith("/checkout/")) return checkoutPage(res, url.pathname.slice("/checkout/".length));
      if (outage === "refuse") {
        req.socket.destroy();
        return;
      }
      const raw = await readBody(req);
      const form = Object.fromEntries(new URLSearchParams(raw));
      const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
      requests.push({ method: req.method ?? "", path: url.pathname, idempotencyKey, form });
      const replayKey = idempotencyKey ? `${req.method} ${idempotencyKey}` : null;
      let reply = replayKey ? replies.get(replayKey) : undefined;
      if (!reply) {
        reply = route(req.method ?? "", url.pathname, form, idempotencyKey);
        if (replayKey) replies.set(replayKey, reply);
      }
      res.writeHead(reply.status, { "Content-Type": "application/json", "Request-Id": id("req"), ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}) });
      res.end(JSON.stringify(reply.body));
    })().catch((error: Error) => {
      res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ error: { type: "api_error", message: error.message } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    sessions,
    refunds,
    setOutage: (o) => (outage = o),
    setupSessions: setup.sessions,
    paymentIntents: setup.paymentIntents,
    completeSetup: setup.complete,
    pay(checkoutSessionId) {
      const session = sessions.get(checkoutSessionId);
      if (!session) throw new Error(`No checkout session ${checkoutSessionId}`);
      session.status = "complete";
      session.payment_status = "paid";
      session.payment_intent ??= id("pi");
      session.url = null;
      return { ...session, metadata: { ...session.metadata } };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ───────────────────────────── Saved cards (contrat de formation) ─────────────────────────────

/**
 * Customers, Checkout in setup mode, SetupIntents, and PaymentIntents confirmed off session,
 * as the contract's deferred charge uses them. A PaymentIntent answers as Stripe's test cards
 * do: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is a 402 card_declined,
 * `pm_card_authenticationRequired` a 402 authentication_required (the bank wants the holder).
 */
function savedCardsApi(baseUrl: () => string) {
  const sessions = new Map<string, SetupCheckoutSession>();
  const setupIntents = new Map<string, { id: string; object: "setup_intent"; status: "succeeded"; customer: string | null; payment_method: string; usage: "off_session" }>();
  const customers = new Map<string, { id: string; object: "customer"; email: string | null; name: string | null; metadata: Record<string, string> }>();
  const paymentIntents: OffSessionPaymentIntent[] = [];
  const apiError = (status: number, error: Record<string, unknown>) => ({ status, body: { error } });
  const metadataOf = (form: Record<string, string>) => {
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m?.[1]) metadata[m[1]] = v;
    }
    return metadata;
  };

  function route(method: string, path: string, form: Record<string, string>, idempotencyKey: string | null): { status: number; body: unknown } | null {
    if (method === "POST" && path === "/v1/customers") {
      const customer = { id: id("cus"), object: "customer" as const, email: form.email ?? null, name: form.name ?? null, metadata: metadataOf(form) };
      customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if (method === "POST" && path === "/v1/checkout/sessions" && form.mode === "setup") {
      if (form.customer && !customers.has(form.customer)) return apiError(400, { type: "invalid_request_error", message: `No such customer: '${form.customer}'` });
      const session: SetupCheckoutSession = {
        id: id("cs"),
        object: "checkout.session",
        mode: "setup",
        status: "open",
        payment_status: "no_payment_required",
        currency: form.currency ?? "eur",
        customer: form.customer ?? null,
        client_reference_id: form.client_reference_id ?? null,
        metadata: metadataOf(form),
        setup_intent: null,
        expires_at: Number(form.expires_at ?? Math.floor(Date.now() / 1000) + 24 * 3600),
        success_url: form.success_url ?? "",
        cancel_url: form.cancel_url ?? "",
        url: null,
        livemode: false,
      };
      if (session.expires_at * 1000 < Date.now() + 30 * 60_000 - 5_000) return apiError(400, { type: "invalid_request_error", message: "expires_at must be at least 30 minutes from now" });
      session.url = `${baseUrl()}/setup/${session.id}`;
      sessions.set(session.id, session);
      return { status: 200, body: session };
    }
    const checkout = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path);
    const known = checkout ? sessions.get(checkout[1]!) : undefined;
    if (checkout && known) {
      if (method === "GET" && !checkout[2]) return { status: 200, body: known };
      if (method === "POST" && checkout[2]) {
        if (known.status !== "open") return apiError(400, { type: "invalid_request_error", message: `Only open sessions can be expired (this one is ${known.status})` });
        known.status = "expired";
        known.url = null;
        return { status: 200, body: known };
      }
    }
    const setupIntent = /^\/v1\/setup_intents\/([^/]+)$/.exec(path);
    if (method === "GET" && setupIntent) {
      const found = setupIntents.get(setupIntent[1]!);
      return found ? { status: 200, body: found } : apiError(404, { type: "invalid_request_error", message: "No such setupintent" });
    }
    if (method === "POST" && path === "/v1/payment_intents") {
      if (form.off_session !== "true" || form.confirm !== "true") return apiError(400, { type: "invalid_request_error", message: "This fake only confirms off-session PaymentIntents" });
      const customer = form.customer ?? "";
      const paymentMethod = form.payment_method ?? "";
      if (![...setupIntents.values()].some((s) => s.customer === customer && s.payment_method === paymentMethod)) {
        return apiError(400, { type: "invalid_request_error", message: "The payment method is not attached to this customer" });
      }
      const intent: OffSessionPaymentIntent = { id: id("pi"), amount: Number(form.amount ?? 0), customer, payment_method: paymentMethod, idempotencyKey, status: "succeeded" };
      const body = { id: intent.id, object: "payment_intent", amount: intent.amount, currency: form.currency ?? "eur", customer, payment_method: paymentMethod, metadata: metadataOf(form), status: "succeeded" };
      if (paymentMethod === "pm_card_chargeDeclined" || paymentMethod === "pm_card_authenticationRequired") {
        intent.status = "requires_payment_method";
        paymentIntents.push(intent);
        const code = paymentMethod === "pm_card_chargeDeclined" ? "card_declined" : "authentication_required";
        return apiError(402, {
          type: "card_error",
          code,
          ...(code === "card_declined" ? { decline_code: "generic_decline" } : {}),
          message: code === "card_declined" ? "Your card was declined." : "Your card was declined. This transaction requires authentication.",
          payment_intent: { ...body, status: "requires_payment_method" },
        });
      }
      paymentIntents.push(intent);
      return { status: 200, body };
    }
    return null;
  }

  function page(res: ServerResponse, sessionId: string) {
    const session = sessions.get(sessionId);
    if (!session) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Session inconnue");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Enregistrement de la carte (Stripe simulé)</title></head><body>` +
        `<h1>Enregistrement de la carte simulé</h1><p>Aucun montant n'est prélevé — session ${escapeHtml(session.status)}</p>` +
        `<p><a href="${escapeHtml(session.success_url)}">Retour après enregistrement</a></p>` +
        `<p><a href="${escapeHtml(session.cancel_url)}">Abandonner</a></p></body></html>`,
    );
  }

  function complete(checkoutSessionId: string, paymentMethod: TestPaymentMethod = "pm_card_visa"): SetupCheckoutSession {
    const session = sessions.get(checkoutSessionId);
    if (!session) throw new Error(`No setup checkout session ${checkoutSessionId}`);
    const intent = { id: id("seti"), object: "setup_intent" as const, status: "succeeded" as const, customer: session.customer, payment_method: paymentMethod, usage: "off_session" as const };
    setupIntents.set(intent.id, intent);
    session.status = "complete";
    session.setup_intent = intent.id;
    session.url = null;
    return { ...session, metadata: { ...session.metadata } };
  }

  return { route, page, complete, sessions, paymentIntents };
}

// ───────────────────────────── Webhooks ─────────────────────────────

export const TEST_WEBHOOK_SECRET = "whsec_test_maillon_0123456789abcdef";
export const TEST_SECRET_KEY = "sk_test_maillon_fake";

/** The env that points the app at the fake. */
export const stripeEnv = (fake: FakeStripe): Record<string, string> => ({
  STRIPE_SECRET_KEY: TEST_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  STRIPE_API_URL: fake.url,
});

export type StripeTestEvent = { id: string; object: "event"; type: string; api_version: string; created: number; livemode: false; pending_webhooks: number; request: { id: null; idempotency_key: null }; data: { object: unknown } };

export function stripeEvent(type: string, object: unknown): StripeTestEvent {
  return {
    id: id("evt"),
    object: "event",
    type,
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

/** The body and Stripe-Signature header Stripe would send for this event. */
export function signEvent(event: unknown, secret = TEST_WEBHOOK_SECRET): { body: string; signature: string } {
  const body = JSON.stringify(event, null, 2);
  return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
}

export function postWebhook(appUrl: string, signed: { body: string; signature: string | null }): Promise<Response> {
  return fetch(`${appUrl}/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(signed.signature ? { "Stripe-Signature": signed.signature } : {}) },
    body: signed.body,
  });
}
