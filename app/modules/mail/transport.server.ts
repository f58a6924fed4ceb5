import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

/**
 * Where mail goes. With SMTP_URL: to that SMTP server. Without: nowhere outside the
 * machine — each mail is written as a JSON file in MAIL_CAPTURE_DIR and readable on the
 * development mailbox (/dev/courriels).
 */
export type OutgoingMail = {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

/** What the worker needs from a transport; a nodemailer transporter is one. */
export type MailTransport = { sendMail(mail: OutgoingMail): Promise<unknown> };

export type CapturedMailSummary = { id: string; to: string; subject: string; date: string };
export type CapturedMail = CapturedMailSummary & {
  messageId: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; size: number }[];
};

// Bounded so a stalled server gives the mail back to the queue well before its claim
// (worker.server.ts) expires; nodemailer's own socket timeout is 10 minutes. Query
// parameters of SMTP_URL (?socketTimeout=…) still override these.
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

export const isMailCaptured = () => !getEnv().SMTP_URL;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The development mailbox shows password-reset links: it exists only while mail is
 * captured and the portal's public address is this machine, never on a real deployment.
 */
export const isDevMailboxOpen = () => isMailCaptured() && LOCAL_HOSTS.has(new URL(getEnv().APP_URL).hostname);

let processTransport: MailTransport | undefined;

export function getMailTransport(): MailTransport {
  if (!processTransport) {
    const { SMTP_URL, MAIL_CAPTURE_DIR, NODE_ENV } = getEnv();
    if (SMTP_URL) {
      processTransport = nodemailer.createTransport({ url: SMTP_URL, ...SMTP_TIMEOUTS });
    } else {
      if (NODE_ENV === "production") logger.warn("mail.capture_mode", { reason: "SMTP_URL is not set: mail is kept on disk, not sent" });
      processTransport = createCaptureTransport(MAIL_CAPTURE_DIR);
    }
  }
  return processTransport;
}

// Time first, so file names sort in arrival order; random after, so two mails in the same
// millisecond do not collide. Also the only shape `getCapturedMail` accepts (no paths).
const CAPTURE_ID = /^\d{13}-[0-9a-f]{8}$/;
const newCaptureId = (date: Date) => `${date.getTime()}-${randomBytes(4).toString("hex")}`;

export function createCaptureTransport(dir: string): MailTransport {
  return {
    async sendMail(mail) {
      const date = new Date();
      const captured: CapturedMail = {
        id: newCaptureId(date),
        messageId: mail.messageId,
        to: mail.to,
        subject: mail.subject,
        date: date.toISOString(),
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length })),
      };
      await mkdir(dir, { recursive: true });
      // Written aside then renamed, so the mailbox never reads half a file.
      const file = path.join(dir, `${captured.id}.json`);
      await writeFile(`${file}.tmp`, JSON.stringify(captured, null, 2));
      await rename(`${file}.tmp`, file);
      return { messageId: mail.messageId };
    },
  };
}

/** The newest captured mails first. */
export async function listCapturedMails(dir = getEnv().MAIL_CAPTURE_DIR, limit = 200): Promise<CapturedMailSummary[]> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  const ids = names
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -".json".length))
    .filter((id) => CAPTURE_ID.test(id))
    .sort()
    .reverse()
    .slice(0, limit);
  const mails = await Promise.all(ids.map((id) => getCapturedMail(id, dir)));
  return mails.filter((m) => m !== null).map(({ id, to, subject, date }) => ({ id, to, subject, date }));
}

export async function getCapturedMail(id: string, dir = getEnv().MAIL_CAPTURE_DIR): Promise<CapturedMail | null> {
  if (!CAPTURE_ID.test(id)) return null;
  try {
    return JSON.parse(await readFile(path.join(dir, `${id}.json`), "utf8")) as CapturedMail;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}
