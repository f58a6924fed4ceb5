import { describe, expect, it } from "vitest";
import { renderMailMessage } from "./index";
import type { SessionReminderData } from "./session-reminder";

const hostile = `<script>alert("x")</script> & "Dupont" l'Ancien`;
const data: SessionReminderData = {
  name: hostile,
  daysBefore: 7,
  moduleTitle: hostile,
  dates: "Du 2 mars 2026 au 3 mars 2026",
  slots: ["lundi 2 mars 2026, 09:00 – 12:30", "mardi 3 mars 2026, 13:30 – 17:00"],
  place: ["Maillon Lyon", "8 rue Saint-Jérôme", "69007 Lyon"],
  remoteUrl: null,
  accessInfo: "Métro B",
  trainerName: "Maëlys Le Goff",
  url: "https://maillon.example.org/mon-espace",
  icsUrl: "https://maillon.example.org/mon-espace/inscriptions/abc",
};
const render = (d: Partial<SessionReminderData> = {}) => renderMailMessage({ template: "session-reminder", to: "a@exemple.fr", data: { ...data, ...d } });

describe("session-reminder mail", () => {
  it("escapes names in the HTML, keeps them in the text, and says the same in both", () => {
    const { subject, html, text } = render();
    expect(subject).not.toMatch(/[\r\n]/);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(text).toContain(hostile);
    for (const part of ["2 demi-journées", "09:00 – 12:30", "Lieu : Maillon Lyon, 8 rue Saint-Jérôme, 69007 Lyon", "Accès : Métro B", "Maëlys Le Goff", data.url, data.icsUrl]) {
      expect(text).toContain(part);
    }
    expect(html).toContain(`href="${data.url}"`);
  });

  it("says tomorrow the day before, and gives the link for a remote session instead of a place", () => {
    const { subject, text } = render({ daysBefore: 1, remoteUrl: "https://visio.exemple.org/salle", slots: ["lundi 2 mars 2026, 09:00 – 12:30"] });
    expect(subject).toMatch(/commence demain/);
    expect(text).toContain("commence demain");
    expect(text).toContain("1 demi-journée :");
    expect(text).toContain("Lien de connexion : https://visio.exemple.org/salle");
    expect(text).not.toContain("Lieu :");
  });
});
