import { describe, expect, it } from "vitest";
import { renderMailMessage, type MailMessage } from "./index";
import { escapeHtml } from "./layout";

const hostile = `<script>alert("x")</script> & "Dupont" l'Ancien`;
const url = "https://maillon.example.org/verification?token=a1b2&x=1";

const messages: MailMessage[] = [
  { template: "verify-email", to: "a@exemple.fr", data: { name: hostile, url } },
  { template: "reset-password", to: "a@exemple.fr", data: { name: hostile, url, expiresInMinutes: 30 } },
  { template: "password-changed", to: "a@exemple.fr", data: { name: hostile } },
  { template: "invitation", to: "a@exemple.fr", data: { structureName: hostile, inviterName: hostile, url, expiresInDays: 7 } },
  { template: "account-invitation", to: "a@exemple.fr", data: { name: hostile, inviterName: hostile, roleLabel: "Formateur·rice", url, expiresInDays: 7 } },
  { template: "already-registered", to: "a@exemple.fr", data: { name: hostile, loginUrl: url, resetUrl: `${url}&reset=1` } },
  { template: "relay-application-status", to: "a@exemple.fr", data: { name: hostile, structureName: hostile, status: "CHANGES_REQUESTED", message: hostile, url } },
  { template: "relay-status-changed", to: "a@exemple.fr", data: { structureName: hostile, status: "SUSPENDED", reason: hostile, url } },
  { template: "structure-referent-added", to: "a@exemple.fr", data: { structureName: hostile, newcomers: [hostile], reason: hostile, staffName: hostile, contactEmail: "formation@exemple.fr", url } },
  { template: "invoice-overdue", to: "a@exemple.fr", data: { name: hostile, number: "F-2026-00001", issuedOn: "2 mars 2026", dueOn: "1 avril 2026", amount: "350,00 €", url } },
  { template: "refund-recorded", to: "a@exemple.fr", data: { learnerName: hostile, moduleTitle: hostile, amount: "350,00 €", creditNote: "A-2026-00001", seatFreed: true, url } },
  { template: "recharge-low-stock", to: "a@exemple.fr", data: { productName: hostile, remaining: 3, threshold: 5, stockUrl: url } },
  { template: "survey-hot", to: "a@exemple.fr", data: { name: hostile, moduleTitle: "Pratiques d'accompagnement", dates: "Le 2 mars 2026", url } },
  { template: "survey-cold", to: "a@exemple.fr", data: { name: hostile, moduleTitle: "Pratiques d'accompagnement", dates: "Le 2 mars 2026", url } },
  {
    template: "certificates-issued",
    to: "a@exemple.fr",
    data: { name: hostile, moduleTitle: hostile, dates: "Le 2 mars 2026", documents: ["Certificat de réalisation n° MAI-2026-000001"], reissued: false, url },
  },
  {
    template: "recertification-reminder",
    to: "a@exemple.fr",
    data: { name: hostile, moduleTitle: hostile, number: "MAI-2026-000001", validUntil: "31 mars 2028", moduleUrl: url },
  },
  { template: "contract-withdrawn", to: "a@exemple.fr", data: { name: hostile, moduleTitle: hostile, dates: "Le 2 mars 2026", withdrawnAt: "5 mars 2026 à 10:00", url } },
  {
    template: "contract-charge-failed",
    to: "a@exemple.fr",
    data: { name: hostile, moduleTitle: hostile, dates: "Le 2 mars 2026", amount: "54,15 €", reason: "carte refusée", retryOn: "14 mars 2026", seatKeptUntil: "16 mars 2026", url },
  },
  {
    template: "contract-charge-staff",
    to: "a@exemple.fr",
    data: { learnerName: hostile, moduleTitle: hostile, dates: "Le 2 mars 2026", amount: "54,15 €", outcome: "failed", detail: "Carte refusée.", url },
  },
];

describe("mail templates", () => {
  it.each(messages.map((m) => [m.template, m] as const))("%s escapes names in the HTML and keeps them as typed in the text", (_name, message) => {
    const { subject, html, text } = renderMailMessage(message);
    expect(subject.length).toBeGreaterThan(0);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Dupont&quot; l&#39;Ancien");
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(text).toContain(hostile);
    expect(text).not.toContain("&lt;");
  });

  it.each(messages.filter((m) => m.template !== "password-changed").map((m) => [m.template, m] as const))(
    "%s carries its link in both versions",
    (_name, message) => {
      const { html, text } = renderMailMessage(message);
      expect(text).toContain(url);
      expect(html).toContain(`href="${escapeHtml(url)}"`);
    },
  );

  it("puts names on one line in the subject", () => {
    const { subject } = renderMailMessage({
      template: "invitation",
      to: "a@exemple.fr",
      data: { structureName: "CCAS\r\nBcc: x@exemple.fr", inviterName: "Zoé", url, expiresInDays: 1 },
    });
    expect(subject).toBe("Zoé vous invite à rejoindre « CCAS Bcc: x@exemple.fr » sur Maillon");
  });

  it("speaks French: plurals and durations", () => {
    expect(renderMailMessage({ template: "reset-password", to: "a@exemple.fr", data: { name: "Léa", url, expiresInMinutes: 30 } }).text).toContain(
      "valable 30 minutes",
    );
    expect(
      renderMailMessage({ template: "invitation", to: "a@exemple.fr", data: { structureName: "CCAS", inviterName: "Léa", url, expiresInDays: 1 } }).text,
    ).toContain("valable 1 jour.");
  });

  it("refuses a link that is not a web address", () => {
    expect(() => renderMailMessage({ template: "verify-email", to: "a@exemple.fr", data: { name: "Léa", url: "javascript:alert(1)" } })).toThrow();
  });
});
