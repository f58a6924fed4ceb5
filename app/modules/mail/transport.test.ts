import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCaptureTransport, getCapturedMail, listCapturedMails, type OutgoingMail } from "./transport.server";

const mail = (subject: string): OutgoingMail => ({
  messageId: `<outbox-${subject}@maillon>`,
  from: "Maillon <ne-pas-repondre@maillon.localhost>",
  to: "camille.martin@exemple.fr",
  subject,
  text: "Bonjour Camille,\nhttps://maillon.example.org/verification?token=abc",
  html: "<p>Bonjour Camille,</p>",
  attachments: [{ filename: "attestation.pdf", contentType: "application/pdf", content: Buffer.from("%PDF") }],
});
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the capture transport (no SMTP server configured)", () => {
  it("keeps each mail as a file, listed newest first and readable by id", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-mails-"));
    const transport = createCaptureTransport(dir);
    await transport.sendMail(mail("Premier « essai »"));
    await pause(5);
    await transport.sendMail(mail("Second essai"));

    const list = await listCapturedMails(dir);
    expect(list.map((m) => m.subject)).toEqual(["Second essai", "Premier « essai »"]);
    const first = await getCapturedMail(list[1]!.id, dir);
    expect(first).toMatchObject({
      to: "camille.martin@exemple.fr",
      subject: "Premier « essai »",
      text: expect.stringContaining("https://maillon.example.org/verification?token=abc"),
      html: "<p>Bonjour Camille,</p>",
      attachments: [{ filename: "attestation.pdf", contentType: "application/pdf", size: 4 }],
    });
  });

  it("reads nothing outside its folder, and an empty mailbox is just empty", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-mails-"));
    expect(await getCapturedMail("../../etc/passwd", dir)).toBeNull();
    expect(await getCapturedMail("1760000000000-0123abcd", dir)).toBeNull();
    expect(await listCapturedMails(path.join(dir, "not-yet-created"))).toEqual([]);
  });
});
