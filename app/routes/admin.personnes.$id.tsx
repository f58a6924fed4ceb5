import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { ReasonSchema, RoleChangeSchema } from "~/modules/people/people.schema";
import { changeRole, deactivatePerson, getPerson, reactivatePerson, resendInvitation, setExternalTrainer } from "~/modules/people/people.server";
import { ROLE_LABELS, ROLES } from "~/modules/people/people.rules";
import { formatDate, formatTime } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Personne"} — Personnes — Administration — Maillon` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "people.view");
  const person = await getPerson(user, params.id ?? "");
  if (!person) throw new Response("Cette personne n'existe pas.", { status: 404 });
  return { person, isSelf: person.id === user.id };
}

const INTENTS = ["grant", "remove", "deactivate", "reactivate", "resend", "trainer-status"] as const;
type Intent = (typeof INTENTS)[number];
type ActionFailure = { intent: Intent; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "people.view");
  const personId = params.id ?? "";
  const path = `/admin/personnes/${encodeURIComponent(personId)}`;
  const formData = await request.formData();
  const intent = INTENTS.find((i) => i === formData.get("intent"));
  if (!intent) return data<ActionFailure>({ intent: "grant", errors: { form: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
  const refused = (result: { message: string; notFound?: boolean }) =>
    data<ActionFailure>({ intent, ...failure({ form: result.message }, formData) }, { status: result.notFound ? 404 : 400 });

  if (intent === "grant" || intent === "remove") {
    const parsed = parseForm(RoleChangeSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await changeRole({ actor: user, personId, change: { kind: intent, role: parsed.data.role }, reason: parsed.data.reason });
    if (!result.ok) return refused(result);
    const label = ROLE_LABELS[parsed.data.role].toLowerCase();
    return redirectWithFlash(path, {
      kind: "success",
      message: intent === "grant" ? `${result.name} a maintenant le rôle ${label}.` : `Le rôle ${label} est retiré à ${result.name}.`,
    });
  }

  if (intent === "trainer-status") {
    const status = formData.get("trainerStatus");
    if (status !== "internal" && status !== "external") {
      return data<ActionFailure>({ intent, ...failure({ trainerStatus: "Choisissez si la personne forme pour l'organisme ou comme intervenant·e extérieur·e." }, formData) }, { status: 400 });
    }
    const result = await setExternalTrainer({ actor: user, personId, external: status === "external" });
    if (!result.ok) return refused(result);
    return redirectWithFlash(path, {
      kind: "success",
      message: status === "external" ? `${result.name} est compté·e comme formateur·rice extérieur·e (BPF, ligne E-2).` : `${result.name} est compté·e comme formateur·rice de l'organisme (BPF, ligne E-1).`,
    });
  }

  if (intent === "resend") {
    const result = await resendInvitation({ actor: user, personId });
    if (!result.ok) return refused(result);
    return redirectWithFlash(path, { kind: "success", message: `Un nouveau lien d'activation est envoyé à ${result.name}.` });
  }

  const parsed = parseForm(ReasonSchema, formData);
  if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
  if (intent === "deactivate") {
    const result = await deactivatePerson({ actor: user, personId, reason: parsed.data.reason });
    if (!result.ok) return refused(result);
    const n = result.upcomingSessions;
    return redirectWithFlash(path, {
      kind: n > 0 ? "error" : "success",
      message: `Le compte de ${result.name} est désactivé : ses sessions de connexion sont terminées.${n > 0 ? ` Attention : ${n} session${n > 1 ? "s" : ""} de formation à venir ${n > 1 ? "lui sont confiées" : "lui est confiée"} : désignez quelqu'un d'autre.` : ""}`,
    });
  }
  const result = await reactivatePerson({ actor: user, personId, reason: parsed.data.reason });
  if (!result.ok) return refused(result);
  return redirectWithFlash(path, { kind: "success", message: `Le compte de ${result.name} est réactivé.` });
}

const when = (value: string | Date | null) => {
  if (!value) return null;
  const d = new Date(value);
  return `${formatDate(d)} à ${formatTime(d)}`;
};

const HISTORY_LABELS: Record<string, string> = {
  "person.roleGranted": "Rôle donné",
  "person.roleRemoved": "Rôle retiré",
  "person.deactivated": "Compte désactivé",
  "person.reactivated": "Compte réactivé",
  "person.invited": "Compte créé sur invitation",
  "person.trainerStatusSet": "Statut de formateur·rice",
};

function ReasonField({ intent, failed }: { intent: Intent; failed: ActionFailure | null }) {
  return (
    <Field
      id={`field-${intent}-reason`}
      label="Raison (gardée dans le journal)"
      name="reason"
      defaultValue={failed?.values.reason}
      error={failed?.errors.reason}
      required
      maxLength={500}
    />
  );
}

export default function AdminPerson() {
  const { person, isSelf } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() ?? null;
  const failedFor = (intent: Intent) => (failed?.intent === intent ? failed : null);
  const missing = ROLES.filter((r) => !person.roles.includes(r));
  const deactivated = !!person.deactivatedAt;
  // A refusal is shown in its own form; one whose form the page does not show, at the top.
  const formShown = (intent: Intent) =>
    (intent === "grant" && missing.length > 0) ||
    (intent === "remove" && person.roles.length > 0) ||
    (intent === "trainer-status" && person.roles.includes("TRAINER")) ||
    (!isSelf && intent === (deactivated ? "reactivate" : "deactivate"));
  return (
    <>
      <p>
        <Link to="/admin/personnes">← Toutes les personnes</Link>
      </p>
      <h1>
        {person.name}
        <span className="subtitle">{person.email}</span>
      </h1>
      {deactivated ? (
        <p className="form-error" role="status">
          Compte désactivé depuis le {when(person.deactivatedAt)} : la connexion est refusée, les données sont gardées.
        </p>
      ) : null}
      {deactivated && person.upcomingSessions.length > 0 ? (
        <section aria-labelledby="sessions-a-reattribuer" className="form-error">
          <h2 id="sessions-a-reattribuer">Sessions à venir à confier à quelqu'un d'autre</h2>
          <p>Ce compte est désactivé mais reste formateur·rice de ces sessions :</p>
          <ul>
            {person.upcomingSessions.map((s) => (
              <li key={s.id}>
                <Link to={`/admin/sessions/${s.id}`}>{s.moduleTitle}</Link>
                {s.startsAt ? ` — à partir du ${when(s.startsAt)}` : ""}
                {s.city ? `, ${s.city}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <FormError message={failed && !formShown(failed.intent) ? failed.errors.form : null} />
      <dl className="facts">
        <div>
          <dt>Rôles</dt>
          <dd>{person.roles.length ? person.roles.map((r) => ROLE_LABELS[r]).join(", ") : "Aucun"}</dd>
        </div>
        <div>
          <dt>Dernière connexion</dt>
          <dd>{when(person.lastLoginAt) ?? "Jamais"}</dd>
        </div>
        <div>
          <dt>Compte créé</dt>
          <dd>{when(person.createdAt)}</dd>
        </div>
        <div>
          <dt>Adresse e-mail</dt>
          <dd>{person.emailVerifiedAt ? "Confirmée" : person.hasPassword ? "Non confirmée" : "Invitation en attente (mot de passe pas encore choisi)"}</dd>
        </div>
      </dl>
      {!person.hasPassword && !deactivated ? (
        <Form method="post">
          <input type="hidden" name="intent" value="resend" />
          <button type="submit">Renvoyer le lien d'activation</button>
        </Form>
      ) : null}

      <section aria-labelledby="structures">
        <h2 id="structures">Structures</h2>
        {person.memberships.length === 0 ? (
          <p>Membre d'aucune structure.</p>
        ) : (
          <ul>
            {person.memberships.map((m) => (
              <li key={m.structureId}>
                {m.structureName}
                {m.city ? ` (${m.city})` : ""} — {m.role === "REFERENT" ? "référent·e" : "membre"}
                {m.relayStatus ? " — Relais Numérique" : ""}
              </li>
            ))}
          </ul>
        )}
      </section>

      {!deactivated && person.upcomingSessions.length > 0 ? (
        <section aria-labelledby="sessions">
          <h2 id="sessions">Sessions à venir comme formateur·rice</h2>
          <ul>
            {person.upcomingSessions.map((s) => (
              <li key={s.id}>
                <Link to={`/admin/sessions/${s.id}`}>{s.moduleTitle}</Link>
                {s.startsAt ? ` — à partir du ${when(s.startsAt)}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="cards">
        {missing.length > 0 ? (
          <section aria-labelledby="donner" className="card">
            <h2 id="donner">Donner un rôle</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="grant" />
              <FormError message={failedFor("grant")?.errors.form} />
              <div className="field">
                <label htmlFor="field-grant-role">Rôle</label>
                <select id="field-grant-role" name="role" defaultValue={failedFor("grant")?.values.role}>
                  {missing.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              </div>
              <ReasonField intent="grant" failed={failedFor("grant")} />
              <p>
                <button type="submit">Donner le rôle</button>
              </p>
            </Form>
          </section>
        ) : null}
        {person.roles.length > 0 ? (
          <section aria-labelledby="retirer" className="card">
            <h2 id="retirer">Retirer un rôle</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="remove" />
              <FormError message={failedFor("remove")?.errors.form} />
              <div className="field">
                <label htmlFor="field-remove-role">Rôle</label>
                <select id="field-remove-role" name="role" defaultValue={failedFor("remove")?.values.role}>
                  {person.roles.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              </div>
              <ReasonField intent="remove" failed={failedFor("remove")} />
              <p>
                <button type="submit">Retirer le rôle</button>
              </p>
            </Form>
          </section>
        ) : null}
        {person.roles.includes("TRAINER") ? (
          <section aria-labelledby="statut-formateur" className="card">
            <h2 id="statut-formateur">Statut de formateur·rice (BPF)</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="trainer-status" />
              <FormError message={failedFor("trainer-status")?.errors.form} />
              <fieldset aria-describedby={failedFor("trainer-status")?.errors.trainerStatus ? "trainerStatus-error" : undefined}>
                <legend>Cette personne donne ses heures de formation</legend>
                {failedFor("trainer-status")?.errors.trainerStatus ? (
                  <p className="error" id="trainerStatus-error">
                    {failedFor("trainer-status")?.errors.trainerStatus}
                  </p>
                ) : null}
                <div className="field checkbox">
                  <input type="radio" id="trainerStatus-internal" name="trainerStatus" value="internal" defaultChecked={!person.externalTrainer} />
                  <label htmlFor="trainerStatus-internal">comme membre de l'organisme (ligne E-1)</label>
                </div>
                <div className="field checkbox">
                  <input type="radio" id="trainerStatus-external" name="trainerStatus" value="external" defaultChecked={person.externalTrainer} />
                  <label htmlFor="trainerStatus-external">comme intervenant·e extérieur·e, en sous-traitance (ligne E-2)</label>
                </div>
              </fieldset>
              <p>
                <button type="submit">Enregistrer le statut</button>
              </p>
            </Form>
          </section>
        ) : null}
        {isSelf ? null : (
          <section aria-labelledby="statut" className="card">
            <h2 id="statut">{deactivated ? "Réactiver le compte" : "Désactiver le compte"}</h2>
            <p>
              {deactivated
                ? "La personne pourra de nouveau se connecter avec son mot de passe."
                : "Ses connexions en cours sont terminées tout de suite et la connexion est refusée ; ses données sont gardées."}
            </p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value={deactivated ? "reactivate" : "deactivate"} />
              <FormError message={failedFor(deactivated ? "reactivate" : "deactivate")?.errors.form} />
              <ReasonField intent={deactivated ? "reactivate" : "deactivate"} failed={failedFor(deactivated ? "reactivate" : "deactivate")} />
              <p>
                <button type="submit">{deactivated ? "Réactiver le compte" : "Désactiver le compte"}</button>
              </p>
            </Form>
          </section>
        )}
      </div>

      <section aria-labelledby="journal">
        <h2 id="journal">Journal</h2>
        {person.history.length === 0 ? (
          <p>Aucun changement de rôle ni de statut.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Changement</th>
                <th scope="col">Par</th>
                <th scope="col">Raison</th>
              </tr>
            </thead>
            <tbody>
              {person.history.map((h) => (
                <tr key={h.id}>
                  <td>{when(h.createdAt)}</td>
                  <td>
                    {HISTORY_LABELS[h.action] ?? h.action}
                    {h.role ? ` : ${ROLE_LABELS[h.role]}` : ""}
                  </td>
                  <td>{h.actorName ?? "Ligne de commande"}</td>
                  <td>{h.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
