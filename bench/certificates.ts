/**
 * Certificate PDF benchmark: warm cost of one certificate alone (renderCertificate), per
 * certificate within a session (renderCertificates), and a 100-trainee session end to end
 * (100 individual PDFs + the combined one). Targets: ≤ 20 ms per certificate, ≤ 3 s per session.
 */
import { renderCertificate, renderCertificates, type CertificatePdfInput } from "../app/modules/certificates/certificate-pdf.server";
import { DEMO_IDENTITY } from "../app/modules/organisation/identity.rules";
import { machine, percentile } from "./support/load";

const NAMES = ["Nguyễn Thị Minh Khai", "Łucja Kowalska", "Ольга Петрова", "فاطمة الزهراء", "Zoë O'Brien-Dupont", "Jean Martin"];
const input = (i: number): CertificatePdfInput => ({
  kind: i % 2 ? "END_OF_TRAINING" : "COMPLETION",
  number: `MAI-2026-${String(i + 1).padStart(6, "0")}`,
  verificationUrl: `https://maillon.localhost/certificats/verifier/7KQH-2M9X-PD4R-${String(i).padStart(4, "0")}`,
  learnerName: `${NAMES[i % NAMES.length]} ${i}`,
  moduleTitle: "Accompagner les publics éloignés du numérique dans leurs démarches administratives en ligne, niveau 2",
  startsOn: new Date("2026-03-02T08:00:00Z"),
  endsOn: new Date("2026-03-03T16:00:00Z"),
  place: "Paris 11e",
  plannedMinutes: 840,
  attendedMinutes: 780 - (i % 5) * 30,
  objectives: ["Repérer les difficultés numériques", "Orienter vers une structure relais"],
  objectivesReached: i % 7 !== 0,
  trainerName: "Claire Dubois",
  issuedAt: new Date("2026-03-04T09:00:00Z"),
  expiresAt: null,
  fingerprint: "ed25519:3f9a…c21b",
  organisation: DEMO_IDENTITY,
});

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
};
const fmt = (n: number) => n.toFixed(1);

console.log(machine());
for (let i = 0; i < 20; i++) await renderCertificate(input(i)); // warm-up
const single: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await renderCertificate(input(i));
  single.push(performance.now() - t);
}
const s = stats(single);
console.log(`one certificate alone (200): median ${fmt(s.median)} ms, p95 ${fmt(s.p95)} ms`);

await renderCertificates(Array.from({ length: 20 }, (_, i) => input(i))); // warm-up
const sessions: number[] = [];
for (let round = 0; round < 5; round++) {
  const t = performance.now();
  const { documents } = await renderCertificates(Array.from({ length: 100 }, (_, i) => input(i + round * 100)));
  sessions.push(performance.now() - t);
  if (documents.length !== 100) throw new Error("expected 100 PDFs");
}
const sess = stats(sessions);
const perCert = sess.median / 100;
console.log(`100-trainee session (5 rounds): median ${fmt(sess.median)} ms, worst ${fmt(Math.max(...sessions))} ms → ${fmt(perCert)} ms per certificate`);

const checks: [string, boolean][] = [
  [`per certificate in a session ${fmt(perCert)} ms ≤ 20 ms`, perCert <= 20],
  [`one certificate alone, median ${fmt(s.median)} ms ≤ 20 ms`, s.median <= 20],
  [`100-trainee session ${fmt(Math.max(...sessions))} ms ≤ 3000 ms`, Math.max(...sessions) <= 3000],
];
for (const [label, ok] of checks) console.log(`${ok ? "PASS" : "FAIL"} ${label}`);
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
