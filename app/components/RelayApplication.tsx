import { Form } from "@remix-run/react";
import { TextAreaField } from "~/components/Field";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { MESSAGE_MAX, STRUCTURE_TYPE_LABELS, type StructureType } from "~/modules/relays/application.schema";

/** What the applicant and staff both see of an application: its answers, and the thread. */
export type ApplicationAnswers = {
  structureName: string | null;
  siret: string | null;
  rna: string | null;
  structureType: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  applicantFunction: string | null;
  applicantPhone: string | null;
  referentName: string | null;
  referentEmail: string | null;
  referentPhone: string | null;
  publicsServed: string | null;
  peoplePerMonth: number | null;
  staffToTrain: number | null;
  staffToTrainNames: string | null;
  motivation: string | null;
  charterAccepted: boolean;
  dpoInformed: boolean;
};

const orDash = (v: string | number | null) => (v === null || v === "" ? "—" : String(v));

export function ApplicationSummary({ a }: { a: ApplicationAnswers }) {
  const rows: [string, string][] = [
    ["Structure", orDash(a.structureName)],
    [a.siret ? "SIRET" : "RNA", orDash(a.siret ?? a.rna)],
    ["Type", a.structureType ? STRUCTURE_TYPE_LABELS[a.structureType as StructureType] ?? a.structureType : "—"],
    ["Adresse", [a.address, [a.postcode, a.city].filter(Boolean).join(" ")].filter(Boolean).join(", ") || "—"],
    ["Fonction de la personne qui candidate", orDash(a.applicantFunction)],
    ["Téléphone de la personne qui candidate", orDash(a.applicantPhone)],
    ["Référent·e", `${orDash(a.referentName)}${a.referentEmail ? ` (${a.referentEmail})` : ""}`],
    ["Téléphone du ou de la référent·e", orDash(a.referentPhone)],
    ["Publics accompagnés", orDash(a.publicsServed)],
    ["Personnes reçues par mois", orDash(a.peoplePerMonth)],
    ["Personnes à former", orDash(a.staffToTrain)],
    ["Collègues à former", orDash(a.staffToTrainNames)],
    ["Motivation", orDash(a.motivation)],
    ["Charte acceptée", a.charterAccepted ? "Oui" : "Non"],
    ["Délégué·e à la protection des données informé·e", a.dpoInformed ? "Oui" : "Non"],
  ];
  return (
    <dl className="details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd className="pre-line">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export type ThreadMessage = { id: string; body: string; createdAt: Date | string; authorName: string; fromStaff: boolean };

export function ApplicationThread({ messages, canPost, error, value }: { messages: ThreadMessage[]; canPost: boolean; error?: string; value?: string }) {
  return (
    <section aria-labelledby="echanges">
      <h2 id="echanges">Échanges</h2>
      {messages.length === 0 ? (
        <p className="muted">Aucun message pour l'instant.</p>
      ) : (
        <ol className="thread">
          {messages.map((m) => (
            <li key={m.id}>
              <p className="muted">
                {m.authorName}
                {m.fromStaff ? " (équipe de l'association)" : ""} — {formatDateTime(new Date(m.createdAt))}
              </p>
              <p className="pre-line">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canPost ? (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="message" />
          <TextAreaField label="Votre message" name="body" value={value} error={error} maxLength={MESSAGE_MAX} />
          <p>
            <button type="submit">Envoyer le message</button>
          </p>
        </Form>
      ) : null}
    </section>
  );
}

