/**
 * The portal's background jobs and their schedules, run by the jobs registry
 * (app/utils/jobs.server.ts: one run at a time, and on PostgreSQL one instance at a time).
 */
import type { Env } from "../app/utils/env.server";
import type { Job } from "../app/utils/jobs.server";
import { purgeExpiredAuthData } from "../app/modules/auth/housekeeping.server";
import { processOutboxOnce } from "../app/modules/mail/worker.server";
import { expireOffers } from "../app/modules/enrolment/waitlist.server";
import { sendSessionReminders } from "../app/modules/enrolment/reminders.server";
import { sendDueSurveys, sendSurveyReminders } from "../app/modules/evaluations/surveys.server";
import { sendRecertificationReminders } from "../app/modules/certificates/recertification.server";
import { runPaymentJobs } from "../app/modules/payments/checkout.server";
import { runContractCharges } from "../app/modules/contracts/charges.server";
import { refreshAllRelays } from "../app/modules/relays/activation.server";
import { purgeBeneficiaries } from "../app/modules/recharges/retention.server";
import { sweepPendingImports } from "../app/modules/recharges/pending-imports.server";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function portalJobs(env: Env): Job[] {
  // JOBS_INTERVAL_MS (tests, or an operator in a hurry) runs every job but the mail worker that often.
  const every = (ms: number) => env.JOBS_INTERVAL_MS ?? ms;
  return [
    { name: "mail-outbox", intervalMs: env.MAIL_WORKER_INTERVAL_MS, run: () => processOutboxOnce() },
    { name: "auth-housekeeping", intervalMs: every(HOUR), firstRunMs: 0, run: (now) => purgeExpiredAuthData(undefined, now) },
    { name: "waiting-list-offers", intervalMs: every(MINUTE), run: async (now) => ({ expired: await expireOffers(now) }) },
    { name: "session-reminders", intervalMs: every(MINUTE), run: (now) => sendSessionReminders(now) },
    { name: "payments", intervalMs: every(MINUTE), run: (now) => runPaymentJobs(now) },
    { name: "contract-charges", intervalMs: every(MINUTE), run: (now) => runContractCharges(now) },
    { name: "evaluation-surveys", intervalMs: every(15 * MINUTE), run: (now) => sendDueSurveys(now) },
    { name: "survey-reminders", intervalMs: every(HOUR), run: (now) => sendSurveyReminders(now, env.SURVEY_REMINDER_DAYS) },
    { name: "recertification-reminders", intervalMs: every(HOUR), run: async (now) => ({ sent: await sendRecertificationReminders(now) }) },
    { name: "beneficiary-retention", intervalMs: every(HOUR), run: async (now) => ({ purged: await purgeBeneficiaries(now) }) },
    // Unconfirmed code imports are kept an hour: swept soon after start, then every ten minutes.
    { name: "code-import-sweep", intervalMs: every(10 * MINUTE), firstRunMs: 1000, run: async (now) => ({ removed: await sweepPendingImports(now) }) },
    // Certificates expire without any event: once shortly after start, then daily.
    { name: "relay-activation", intervalMs: every(24 * HOUR), firstRunMs: env.JOBS_INTERVAL_MS ?? MINUTE, run: async (now) => ({ changed: await refreshAllRelays(now) }) },
  ];
}
