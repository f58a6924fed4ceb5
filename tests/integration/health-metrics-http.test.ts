/**
 * /healthz and /metrics over HTTP on the real server: the health report gives the database,
 * the outbox and the mail worker without anything personal; /metrics is Prometheus text,
 * labelled by route pattern, behind a bearer token, absent without one, never cached.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueMail } from "../../app/modules/mail/outbox.server";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";

const TOKEN = "jeton-des-metriques-pour-le-test-0123456789";
const ADDRESS = "camille.lefebvre-nguyen@exemple.fr";

let smtp: TestSmtpServer;
let app: AppServer;
let bare: AppServer | undefined;
let db: Db;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const url = testDatabaseUrl("health_metrics");
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url, env: { METRICS_TOKEN: TOKEN } });
  db = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(db);
});

afterAll(async () => {
  await db?.$disconnect();
  await app?.stop();
  await bare?.stop();
  await smtp?.stop();
});

/** A visit read to its end (the server counts a request once its answer is sent). */
const visit = async (pathname: string) => (await fetch(`${app.url}${pathname}`)).text();

const metricsText = async (token = TOKEN) => {
  const res = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.text();
};

describe("/healthz", () => {
  it("reports the database, the outbox queue, the last send and the worker, with nothing personal", async () => {
    const sent = await enqueueMail(db, { template: "password-changed", to: ADDRESS, data: { name: "Camille Lefebvre-Nguyễn" } });
    await smtp.waitFor((m) => m.messageId === `<outbox-${sent.id}@maillon>`, 15_000);
    // One mail not due before tomorrow stays in the queue.
    const waiting = await enqueueMail(db, { template: "password-changed", to: ADDRESS, data: { name: "Camille Lefebvre-Nguyễn" } });
    await db.outboxMail.update({ where: { id: waiting.id }, data: { nextAttemptAt: new Date(Date.now() + 86_400_000) } });

    let body: Record<string, unknown> & { mail?: Record<string, unknown> } = {};
    await expect
      .poll(async () => {
        const res = await fetch(`${app.url}/healthz`);
        expect(res.status).toBe(200);
        expect(res.headers.get("cache-control")).toBe("no-store");
        const text = await res.text();
        expect(text).not.toContain("camille");
        expect(text).not.toContain("Camille");
        expect(text).not.toContain("mot de passe");
        body = JSON.parse(text);
        return body.mail?.queueLength;
      }, { timeout: 10_000 })
      .toBe(1);
    expect(body).toMatchObject({ status: "ok", database: "ok", mail: { queueLength: 1, failed: 0, worker: { outcome: "done" } } });
    expect(Date.now() - Date.parse(String(body.mail!.lastSentAt))).toBeLessThan(60_000);
    expect(body.mail!.oldestPendingSince).toEqual(expect.any(String));
  });
});

describe("/metrics", () => {
  it("refuses a missing or wrong token (401), and is not cached", async () => {
    const none = await fetch(`${app.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(none.headers.get("cache-control")).toBe("no-store");
    const wrong = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("maillon_");
    const basic = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` } });
    expect(basic.status).toBe(401);
  });

  it("gives request counts and durations by route pattern, the outbox queue and job runs", async () => {
    for (const pathname of ["/formations/un-module-qui-n-existe-pas-4242", "/questionnaire/jeton-secret-de-questionnaire-9876", "/certificats/verifier/CODE-SECRET-1234", "/"])
      await visit(pathname);
    await expect.poll(() => metricsText(), { timeout: 5000 }).toMatch(/route="\/",status="200"\} 1/);
    const res = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).toContain("# TYPE maillon_http_requests_total counter");
    expect(text).toMatch(/maillon_http_requests_total\{method="GET",route="\/formations\/:slug",status="404"\} 1/);
    expect(text).toMatch(/maillon_http_requests_total\{method="GET",route="\/questionnaire\/:token",status="\d+"\} 1/);
    expect(text).toMatch(/maillon_http_requests_total\{method="GET",route="\/",status="200"\} 1/);
    expect(text).toMatch(/maillon_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/formations\/:slug"\}/);
    expect(text).toMatch(/maillon_http_request_duration_seconds_count\{method="GET",route="\/healthz"\} \d+/);
    expect(text).toMatch(/^maillon_outbox_queue_length \d+$/m);
    expect(text).toMatch(/^maillon_mail_last_sent_timestamp_seconds [\d.e+]+$/m);
    expect(text).toMatch(/maillon_job_runs_total\{job="mail-outbox",outcome="done"\} \d+/);
    expect(text).toContain("maillon_job_run_duration_seconds_bucket");
    for (const secret of ["un-module-qui-n-existe-pas-4242", "jeton-secret-de-questionnaire-9876", "CODE-SECRET-1234"]) expect(text).not.toContain(secret);
  });

  it("counts a data request (single fetch) under its page's pattern, and unknown paths as unmatched", async () => {
    await visit("/formations/autre-module-5151.data");
    await visit(`/nulle-part/${"x".repeat(30)}`);
    await expect.poll(() => metricsText(), { timeout: 5000 }).toMatch(/route="unmatched"/);
    const text = await metricsText();
    expect(text).toMatch(/maillon_http_requests_total\{method="GET",route="\/formations\/:slug",status="\d+"\} [2-9]/);
    expect(text).toMatch(/route="unmatched"/);
    expect(text).not.toContain("autre-module-5151");
  });

  it("does not exist without METRICS_TOKEN (404)", async () => {
    bare = await startAppServer({ databaseUrl: testDatabaseUrl("metrics_off") });
    const res = await fetch(`${bare.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("maillon_");
  });
});
