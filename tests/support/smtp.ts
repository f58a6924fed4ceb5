/**
 * A real SMTP server for tests, on 127.0.0.1 and a free port: the app sends its mail to it
 * over the network exactly as it would to a provider, and tests read the parsed messages.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type { ParsedMail };

export type TestSmtpServer = {
  url: string;
  port: number;
  /** Every message received so far, in arrival order. */
  messages: ParsedMail[];
  /** The first message (already received or still to come) that matches, or a rejection after timeoutMs. */
  waitFor: (predicate: (mail: ParsedMail) => boolean, timeoutMs?: number) => Promise<ParsedMail>;
  stop: () => Promise<void>;
};

/** Every address a message was sent to, lower-cased. */
export function recipientsOf(mail: ParsedMail): string[] {
  const to = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]) : [];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const listeners = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // Force-close idle client connections (pooled transports) quickly on stop().
    closeTimeout: 1000,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          for (const notify of listeners) notify();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  function waitFor(predicate: (mail: ParsedMail) => boolean, timeoutMs = 15_000): Promise<ParsedMail> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = messages.find(predicate);
        if (!found) return false;
        done();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        const seen = messages.map((m) => `  to ${recipientsOf(m).join(", ")}: ${m.subject ?? "(no subject)"}`).join("\n");
        reject(new Error(`No matching mail within ${timeoutMs} ms. Received ${messages.length}:\n${seen || "  (none)"}`));
      }, timeoutMs);
      const listener = () => void check();
      const done = () => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      listeners.add(listener);
      check();
    });
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The first link of the mail's text body (or, failing that, of its HTML) that leads to
 * `pathPrefix`: either a path ("/verification", matched against the link's path) or an
 * absolute URL prefix ("http://127.0.0.1:3000/verification").
 */
export function extractLink(mail: ParsedMail, pathPrefix: string): string {
  const bodies = [mail.text ?? "", typeof mail.html === "string" ? mail.html.replace(/&amp;/g, "&") : ""];
  for (const body of bodies) {
    for (const match of body.matchAll(/https?:\/\/[^\s<>"'()[\]]+/g)) {
      const link = match[0].replace(/[.,;:!?]+$/, "");
      if (pathPrefix.startsWith("http") ? link.startsWith(pathPrefix) : new URL(link).pathname.startsWith(pathPrefix)) return link;
    }
  }
  throw new Error(`No link to ${pathPrefix} in the mail "${mail.subject ?? ""}". Text body:\n${mail.text ?? "(none)"}`);
}
