import { z } from "zod";
import { parseRetiredKeys } from "../modules/certificates/did.rules";
import { loadPrivateKey } from "../modules/certificates/signing";
import { isLoopbackUrl } from "./production.rules";

/**
 * The configuration, read once from the environment and checked at boot. An invalid
 * variable stops the process with a message that names it (never its value: it may be a
 * secret).
 */
const isSigningKey = (value: string): boolean => {
  try {
    loadPrivateKey(value);
    return true;
  } catch {
    return false;
  }
};

const areRetiredKeys = (value: string): boolean => {
  try {
    parseRetiredKeys(value);
    return true;
  } catch {
    return false;
  }
};

const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    APP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
    // Express's `trust proxy`: whose X-Forwarded-For to believe (server/public-origin.ts).
    TRUST_PROXY: z.string().default("loopback"),
    DATABASE_URL: z
      .string()
      .default("file:./data/maillon.db")
      .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), {
        message: "must be a SQLite file URL (file:./data/maillon.db) or a postgresql:// URL",
      }),
    SMTP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^smtps?$/ }).optional()),
    MAIL_FROM: z.string().default("Maillon <ne-pas-repondre@maillon.localhost>"),
    MAIL_CAPTURE_DIR: z.string().default("data/mails"),
    MAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
    // Runs every other background job this often instead of its own schedule (server/jobs.ts).
    JOBS_INTERVAL_MS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(50).optional()),
    // Default: "auto" on a loopback APP_URL, "never" in production (app/utils/production.rules.ts).
    SEED_DEMO_DATA: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["auto", "never"]).optional()),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    CODES_ENCRYPTION_KEY: optionalString,
    // Beneficiary records are deleted this many months after their last recharge.
    BENEFICIARY_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
    // An evaluation survey still unanswered this many days after it was sent gets its one reminder.
    SURVEY_REMINDER_DAYS: z.coerce.number().int().min(1).max(30).default(5),
    // Ed25519 private key (PEM or raw 32 bytes in base64) that signs certificates; without it a
    // public development key is used (app/modules/certificates/signing-key.server.ts).
    CERTIFICATE_SIGNING_KEY: optionalString.refine((v) => v === undefined || isSigningKey(v), {
      message: "must be an Ed25519 private key, PEM (PKCS#8) or 32 bytes in base64",
    }),
    // Public keys that signed certificates before a rotation, still published in /.well-known/did.json
    // (app/modules/certificates/did.rules.ts: parseRetiredKeys).
    CERTIFICATE_RETIRED_KEYS: optionalString.refine((v) => v === undefined || areRetiredKeys(v), {
      message: "must list Ed25519 public keys (z6Mk… or 32 bytes in base64), each optionally followed by @YYYY-MM-DD",
    }),
    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    // Tests point the Stripe client at a local fake of its API (tests/support/fake-stripe.ts).
    STRIPE_API_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
    // Bearer token that opens /metrics; without it, /metrics answers 404.
    METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, { message: "must be at least 16 characters" }),
  })
  .transform((e) => {
    const APP_URL = (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
    return { ...e, APP_URL, SEED_DEMO_DATA: e.SEED_DEMO_DATA ?? (isLoopbackUrl(APP_URL) ? ("auto" as const) : ("never" as const)) };
  });

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);
