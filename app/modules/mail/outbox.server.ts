import { renderMailMessage, type MailMessage } from "../../../emails";
import type { Db, Tx } from "~/utils/db.server";
import { currentIdentity } from "~/modules/organisation/identity.server";

/**
 * The way into the outbox: a mail is rendered and written with the same transaction
 * client as the change that causes it, so it exists if and only if that change commits.
 * The worker (worker.server.ts) sends it afterwards.
 */
export type { MailMessage };

export type MailAttachment = { filename: string; contentType: string; content: Buffer };

/** How attachments are kept in the outbox row (JSON column). */
type StoredAttachment = { filename: string; contentType: string; contentBase64: string };

export async function enqueueMail(
  client: Tx | Db,
  message: MailMessage,
  options: { attachments?: MailAttachment[] } = {},
): Promise<{ id: string }> {
  const { subject, html, text } = renderMailMessage(message, await currentIdentity(client));
  const attachments = options.attachments?.length ? options.attachments.map(toStoredAttachment) : undefined;
  return client.outboxMail.create({
    data: { template: message.template, to: message.to, subject, html, text, attachments },
    select: { id: true },
  });
}

function toStoredAttachment({ filename, contentType, content }: MailAttachment): StoredAttachment {
  return { filename, contentType, contentBase64: content.toString("base64") };
}

export function readStoredAttachments(value: unknown): MailAttachment[] {
  if (!Array.isArray(value)) return [];
  return (value as StoredAttachment[]).map(({ filename, contentType, contentBase64 }) => ({
    filename,
    contentType,
    content: Buffer.from(contentBase64, "base64"),
  }));
}
