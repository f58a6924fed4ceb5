/**
 * For integration tests that follow mail to the inbox: an in-process SMTP server, and the
 * app's real outbox worker delivering to it. Call after openTestDatabase (the worker reads
 * DATABASE_URL when first imported); `close()` in afterAll.
 */
import nodemailer from "nodemailer";
import { expect } from "vitest";
import { recipientsOf, startSmtpServer, type ParsedMail, type TestSmtpServer } from "./smtp";

export type MailDelivery = {
  smtp: TestSmtpServer;
  /** Runs the real worker until the outbox is empty (rows are due at the database's "now"); the number sent. */
  deliverAll(): Promise<number>;
  /** The delivered mails addressed to `email`. */
  mailsTo(email: string): ParsedMail[];
  close(): Promise<void>;
};

export async function openMailDelivery(): Promise<MailDelivery> {
  const { processOutboxOnce } = await import("~/modules/mail/worker.server");
  const smtp = await startSmtpServer();
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: smtp.port, secure: false, ignoreTLS: true });
  return {
    smtp,
    async deliverAll() {
      let sent = 0;
      for (;;) {
        const run = await processOutboxOnce({ transport, now: new Date(Date.now() + 60_000) });
        sent += run.sent;
        expect(run.failed).toBe(0);
        if (run.sent === 0 && run.retried === 0) return sent;
      }
    },
    mailsTo: (email) => smtp.messages.filter((m) => recipientsOf(m).includes(email.toLowerCase())),
    async close() {
      transport.close();
      await smtp.stop();
    },
  };
}
