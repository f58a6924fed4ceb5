import { describe, expect, it } from "vitest";
import { renderMailMessage, type MailMessage } from "../../../emails";

const hostile = `<script>alert("x")</script> & "Dupont" l'Ancien`;
const url = "https://maillon.example.org/mon-espace";

const messages: MailMessage[] = [
  {
    template: "convocation",
    to: "a@exemple.fr",
    data: {
      name: hostile,
      moduleTitle: hostile,
      dates: "Le 2 mars 2026",
      slots: ["lundi 2 mars 2026, 09:00 – 12:30", "lundi 2 mars 2026, 13:30 – 17:00"],
      place: ["Maillon Lyon", "8 rue Saint-Jérôme", "69007 Lyon"],
      remoteUrl: null,
      accessInfo: "Métro B",
      programme: ["Panorama", "Mises en situation"],
      trainerName: hostile,
      url,
    },
  },
  { template: "waitlist-joined", to: "a@exemple.fr", data: { name: hostile, moduleTitle: hostile, dates: "Le 2 mars 2026", position: 3, url } },
  { template: "waitlist-offer", to: "a@exemple.fr", data: { name: hostile, moduleTitle: hostile, dates: "Le 2 mars 2026", deadline: "mercredi 4 mars 2026 à 14:05", url } },
  { template: "enrolment-cancelled", to: "a@exemple.fr", data: { name: hostile, moduleTitle: hostile, dates: "Le 2 mars 2026", reason: hostile, byStaff: true, url } },
];

describe("enrolment mails", () => {
  it.each(messages.map((m) => [m.template, m] as const))("%s escapes names, keeps them in the text, and links to the learner space", (_n, message) => {
    const { subject, html, text } = renderMailMessage(message);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(text).toContain(hostile);
    expect(text).toContain(url);
  });

  it("the convocation lists every half-day, the place, the access, the trainer and the programme", () => {
    const { text } = renderMailMessage(messages[0]!);
    for (const part of ["09:00 – 12:30", "13:30 – 17:00", "8 rue Saint-Jérôme", "Accès : Métro B", "• Panorama", `Formatrice ou formateur : ${hostile}`]) {
      expect(text).toContain(part);
    }
  });

  it("the offer mail states the deadline", () => {
    expect(renderMailMessage(messages[2]!).text).toContain("jusqu'au mercredi 4 mars 2026 à 14:05");
  });
});
