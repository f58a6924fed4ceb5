/**
 * Runs the real portal server (server/index.ts on the production build) as a child
 * process, on a free port and the given database, for browser tests.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type AppServer = {
  /** Base URL, e.g. http://127.0.0.1:41234 (also the APP_URL the app was given). */
  url: string;
  /** Everything the server printed so far (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
};

// The app's own settings: none leaks in from the developer's shell.
const APP_ENV_KEYS = [
  "PORT",
  "APP_URL",
  "TRUST_PROXY",
  "DATABASE_URL",
  "SMTP_URL",
  "MAIL_FROM",
  "MAIL_CAPTURE_DIR",
  "MAIL_WORKER_INTERVAL_MS",
  "SEED_DEMO_DATA",
  "LOG_LEVEL",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_API_URL",
  "CERTIFICATE_SIGNING_KEY",
  "CERTIFICATE_RETIRED_KEYS",
  "CODES_ENCRYPTION_KEY",
  "METRICS_TOKEN",
];

const OUTPUT_LIMIT = 64_000;
const STARTUP_TIMEOUT_MS = 60_000;


type AppServerOptions = { databaseUrl: string; smtpUrl?: string; env?: Record<string, string>; outputLimit?: number };

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  if (!existsSync(path.join(REPO_ROOT, "build/server/index.js")))
    throw new Error("The app is not built (build/server/index.js is missing): run `npm run build` before the browser tests.");

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const mailCaptureDir = mkdtempSync(path.join(os.tmpdir(), "maillon-mails-"));
  const env = appServerEnv(options, port, url, mailCaptureDir);

  // APP_CPU_PROFILE_DIR=dir: the server writes a V8 CPU profile there when it stops (for benchmarks).
  const profile = process.env.APP_CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.APP_CPU_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "server/index.ts"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-(options.outputLimit ?? OUTPUT_LIMIT));
  };
  child.stdout.on("data", record);
  child.stderr.on("data", record);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const stop = async () => {
    if (!hasExited) {
      child.kill("SIGTERM");
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killTimer);
    }
    rmSync(mailCaptureDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastProblem = "no answer yet";
  while (true) {
    if (hasExited) {
      await stop();
      throw new Error(`The app server exited during start-up (code ${child.exitCode}). Its output:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The app server did not answer GET /healthz with 200 within ${STARTUP_TIMEOUT_MS / 1000} s (${lastProblem}). Its output:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
      lastProblem = `last status ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return { url, output: () => output, stop };
}

function appServerEnv(options: AppServerOptions, port: number, url: string, mailCaptureDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of APP_ENV_KEYS) delete env[key];
  delete env.VITEST;
  Object.assign(env, {
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: url,
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: "warn",
    MAIL_WORKER_INTERVAL_MS: "100",
    SEED_DEMO_DATA: "never",
    // Without SMTP the app captures mail in files: keep them out of the repository.
    MAIL_CAPTURE_DIR: mailCaptureDir,
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  return env;
}

/** Runs the server for a start that must fail: its exit code and output once it exits (killed after `timeoutMs` if it does not). */
export async function runFailingAppServer(options: AppServerOptions & { timeoutMs?: number }): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const mailCaptureDir = mkdtempSync(path.join(os.tmpdir(), "maillon-mails-"));
  const env = appServerEnv(options, port, `http://127.0.0.1:${port}`, mailCaptureDir);
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  rmSync(mailCaptureDir, { recursive: true, force: true });
  return { code, output };
}

/** A form POST as a browser on the portal's own pages sends it (with the Origin the CSRF check wants). */
export function postForm(server: AppServer, pathname: string, fields: Record<string, string>, init: { cookie?: string } = {}) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      Origin: server.url,
      "Content-Type": "application/x-www-form-urlencoded",
      ...(init.cookie ? { Cookie: init.cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

/** Chromium flags that work headless in containers and CI, as root, offline (see toolchain notes). */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
