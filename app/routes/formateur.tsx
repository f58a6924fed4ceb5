import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/modules/auth/require.server";
import { listTrainerSessions, type TrainerSession } from "~/modules/training/trainer.server";

export const meta: MetaFunction = () => [{ title: "Espace formateur — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "TRAINER");
  return listTrainerSessions(user.id, new Date());
}

// Single fetch keeps Dates as Dates on the way to the browser.
type SessionRow = TrainerSession;

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" });
const formatDate = (date: Date | null) => (date ? dateFormat.format(date) : null);

function dates(s: SessionRow) {
  const start = formatDate(s.startsAt);
  const end = formatDate(s.endsAt);
  if (!start || !end) return "Dates à définir";
  return start === end ? `Le ${start}` : `Du ${start} au ${end}`;
}

function place(s: SessionRow) {
  if (s.format === "REMOTE") return "À distance";
  return [s.venueName, s.city].filter(Boolean).join(", ") || "Lieu à définir";
}

const STATUS_LABELS: Record<string, string> = { SCHEDULED: "Programmée", CANCELLED: "Annulée", CLOSED: "Clôturée" };

function SessionsTable({ id, caption, sessions }: { id: string; caption: string; sessions: SessionRow[] }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{caption}</h2>
      {sessions.length === 0 ? (
        <p className="muted">Aucune session.</p>
      ) : (
        <table>
          <caption className="muted">
            {caption} : {sessions.length} session{sessions.length > 1 ? "s" : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">Lieu</th>
              <th scope="col">Dates</th>
              <th scope="col">Inscriptions confirmées</th>
              <th scope="col">Statut</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={`/formateur/sessions/${s.id}`}>{s.moduleTitle}</Link>
                  {s.kind === "INTRA" ? <span className="muted"> (intra)</span> : null}
                </th>
                <td>{place(s)}</td>
                <td>
                  {dates(s)}
                  {s.halfDays > 0 ? (
                    <span className="muted">
                      {" "}
                      ({s.halfDays} demi-journée{s.halfDays > 1 ? "s" : ""})
                    </span>
                  ) : null}
                </td>
                <td>
                  {s.confirmedCount} / {s.capacity}
                </td>
                <td>{STATUS_LABELS[s.status] ?? s.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export default function TrainerSpace() {
  const { upcoming, past } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Espace formateur</h1>
      <p>Les sessions de formation que vous animez.</p>
      <SessionsTable id="a-venir" caption="Sessions à venir" sessions={upcoming} />
      <SessionsTable id="passees" caption="Sessions passées" sessions={past} />
    </>
  );
}
