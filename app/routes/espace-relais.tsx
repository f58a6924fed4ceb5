import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError, TextAreaField } from "~/components/Field";
import { can } from "~/modules/auth/permissions.rules";
import { forbidden } from "~/modules/auth/require.server";
import { requireUser, type CurrentUser } from "~/modules/auth/session.server";
import { RELAY_STATUS_LABELS } from "~/modules/relays/relay.labels";
import { ConventionSchema, RelayDetailsSchema } from "~/modules/relays/application.schema";
import { MEDIATION_SERVICES, RECHARGE_SERVICE, WEEKDAYS } from "~/modules/relays/open-data.rules";
import { acceptConvention, getRelaySpace, relayChoices, removeRelayMember, setActingStructure, updateRelayDetails } from "~/modules/relays/relay.server";
import { inviteColleague } from "~/modules/structures/invitations.server";
import { EMAIL_MAX, INVITATION_TTL_DAYS, InviteSchema, MEMBERSHIP_ROLE_LABELS, RemoveMemberSchema } from "~/modules/structures/invitations.schema";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { formatDate } from "~/utils/dates";
import { relayStatusNote } from "~/modules/relays/activation.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { formValues, parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Espace relais — Maillon" }];

/** The relay this request is about: `?structure=` when given (must be one of the person's relays), else the one they act for. */
async function resolveStructure(user: CurrentUser, requested: string | null) {
  const { relays, actingStructureId } = await relayChoices(user);
  if (requested) {
    if (!can(user, "relay.viewSpace", { structureId: requested })) throw forbidden("Vous ne faites pas partie de ce relais.");
    return { relays, structureId: requested };
  }
  return { relays, structureId: actingStructureId };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { relays, structureId } = await resolveStructure(user, new URL(request.url).searchParams.get("structure"));
  const choices = relays.map((r) => ({ structureId: r.structureId, structureName: r.structureName }));
  if (!structureId && relays.length === 0) return { view: "none" as const, choices };
  if (!structureId) return { view: "pick" as const, choices };
  const space = await getRelaySpace(user, structureId);
  if (!space) throw forbidden("Vous ne faites pas partie de ce relais.");
  return { view: "relay" as const, choices, space, currentUserId: user.id };
}

type ActionFailure = { intent: string; errors: FieldErrors; values: Record<string, string> };
const spacePath = (structureId: string) => `/espace-relais?structure=${encodeURIComponent(structureId)}`;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const structureId = String(formData.get("structureId") ?? "");
  // Checked services are kept as "A|B", so a refused form shows them checked again.
  const values = { ...formValues(formData), services: formData.getAll("services").filter((v) => typeof v === "string").join("|") };
  const failure = (errors: FieldErrors, status = 400) => data<ActionFailure>({ intent, errors, values }, { status });

  if (intent === "act") {
    if (!(await setActingStructure(user, structureId))) throw forbidden("Vous ne faites pas partie de ce relais.");
    return redirect("/espace-relais");
  }
  if (!can(user, "relay.manage", { structureId })) throw forbidden("Seul·e un·e référent·e du relais peut faire cela.");
  const back = spacePath(structureId);

  if (intent === "invite") {
    const parsed = parseForm(InviteSchema, formData);
    if (!parsed.ok) return failure(parsed.errors);
    const result = await inviteColleague({ actor: user, ...parsed.data });
    if (!result.ok) return failure({ [result.field]: result.message });
    return redirectWithFlash(back, { kind: "success", message: `Invitation envoyée à ${parsed.data.email}. Le lien est valable ${INVITATION_TTL_DAYS} jours.` });
  }
  if (intent === "remove") {
    const parsed = parseForm(RemoveMemberSchema, formData);
    if (!parsed.ok) return failure({ form: "Cette demande n'est pas valide." });
    const result = await removeRelayMember({ actor: user, ...parsed.data });
    if (!result.ok) return failure({ form: result.message });
    return redirectWithFlash(parsed.data.userId === user.id ? "/mon-espace" : back, { kind: "success", message: `La personne a été retirée du relais.${relayStatusNote(result.relayChanges)}` });
  }
  if (intent === "details") {
    const parsed = parseForm(RelayDetailsSchema, formData);
    if (!parsed.ok) return failure(parsed.errors);
    const result = await updateRelayDetails({ actor: user, structureId, details: parsed.data });
    if (!result.ok) return failure({ form: result.message });
    return redirectWithFlash(back, { kind: "success", message: "Les informations du relais sont enregistrées." });
  }
  if (intent === "convention") {
    const parsed = parseForm(ConventionSchema, formData);
    if (!parsed.ok) return failure(parsed.errors);
    const result = await acceptConvention({ actor: user, structureId, name: parsed.data.name, ip: context?.ip ?? "inconnue" });
    if (!result.ok) return failure({ form: result.message });
    return redirectWithFlash(back, { kind: "success", message: "Convention acceptée. Merci !" });
  }
  return failure({ form: "Cette demande n'est pas valide." });
}

function Picker({ choices }: { choices: { structureId: string; structureName: string }[] }) {
  return (
    <>
      <p>Vous faites partie de plusieurs relais. Pour lequel agissez-vous ?</p>
      <ul>
        {choices.map((c) => (
          <li key={c.structureId}>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="act" />
              <input type="hidden" name="structureId" value={c.structureId} />
              <button type="submit">Agir pour {c.structureName}</button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}

export default function RelaySpace() {
  const loaded = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  if (loaded.view === "none") {
    return (
      <>
        <h1>Espace relais</h1>
        <p>Vous ne faites partie d'aucun Relais Numérique.</p>
        <p>
          Votre structure souhaite le devenir ? <Link to="/relais/candidature">Déposez une candidature</Link>. Elle l'est déjà ? Demandez à sa
          ou son référent·e de vous inviter.
        </p>
      </>
    );
  }
  if (loaded.view === "pick") {
    return (
      <>
        <h1>Espace relais</h1>
        <Picker choices={loaded.choices} />
      </>
    );
  }
  const { space, currentUserId, choices } = loaded;
  const { relay, structure, members, canManage } = space;
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed?.intent === intent ? failed.values : {});
  const hidden = <input type="hidden" name="structureId" value={structure.id} />;

  return (
    <>
      <h1>
        Espace relais
        <span className="subtitle">{structure.name}</span>
      </h1>
      {choices.length > 1 ? (
        <details>
          <summary>Agir pour un autre relais</summary>
          <Picker choices={choices.filter((c) => c.structureId !== structure.id)} />
        </details>
      ) : null}

      <section aria-labelledby="etat">
        <h2 id="etat">État du relais</h2>
        <p>
          <strong>{RELAY_STATUS_LABELS[relay.status]}</strong>
          {relay.statusReason ? ` — motif : ${relay.statusReason}` : null}
        </p>
        <p>
          Membres certifiés « {relay.requiredModule.title} » : {space.certifiedCount} ; il en faut au moins {relay.requiredCertifiedStaff} pour que le relais soit
          actif.
        </p>
        {space.missing > 0 ? (
          <>
            <p>
              <strong>
                Il manque {space.missing} membre{space.missing > 1 ? "s" : ""} certifié{space.missing > 1 ? "s" : ""} pour activer le relais.
              </strong>{" "}
              Inscrivez des collègues à une prochaine session du module <Link to={`/formations/${relay.requiredModule.slug}`}>{relay.requiredModule.title}</Link> :
            </p>
            {space.nextSessions.length === 0 ? (
              <p className="muted">Aucune session n'est programmée pour l'instant ; contactez l'association.</p>
            ) : (
              <ul>
                {space.nextSessions.map((s) => (
                  <li key={s.id}>
                    {formatDate(new Date(s.startsAt))} — {s.format === "REMOTE" ? "à distance" : s.city ?? "lieu à préciser"} — {s.seatsLeft} place{s.seatsLeft > 1 ? "s" : ""}{" "}
                    restante{s.seatsLeft > 1 ? "s" : ""}
                    {canManage ? (
                      <>
                        {" "}
                        — <Link to={`/sessions/${s.id}/inscrire-des-collegues?structure=${encodeURIComponent(structure.id)}`}>inscrire des collègues</Link>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : null}
      </section>

      <section aria-labelledby="convention">
        <h2 id="convention">Convention de partenariat</h2>
        <p>
          <a href={`/espace-relais/convention.pdf?structure=${encodeURIComponent(structure.id)}`}>Lire la convention (PDF)</a>
        </p>
        {relay.conventionAcceptedAt ? (
          <p>
            Acceptée le {formatDateTime(new Date(relay.conventionAcceptedAt))} par {relay.conventionAcceptedName}.
          </p>
        ) : canManage ? (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="convention" />
            {hidden}
            <FormError message={errorsFor("convention").form} />
            <div className="field">
              <div className="checkbox field">
                <input
                  id="field-accepted"
                  name="accepted"
                  type="checkbox"
                  aria-invalid={errorsFor("convention").accepted ? true : undefined}
                  aria-describedby={errorsFor("convention").accepted ? "field-accepted-error" : undefined}
                />
                <label htmlFor="field-accepted">J'ai lu la convention et je l'accepte au nom de la structure.</label>
              </div>
              {errorsFor("convention").accepted ? (
                <p className="error" id="field-accepted-error">
                  {errorsFor("convention").accepted}
                </p>
              ) : null}
            </div>
            <Field name="name" label="Vos prénom et nom (signature)" defaultValue={valuesFor("convention").name} error={errorsFor("convention").name} autoComplete="name" />
            <p>
              <button type="submit">Accepter la convention</button>
            </p>
          </Form>
        ) : (
          <p className="muted">La ou le référent·e du relais doit l'accepter.</p>
        )}
      </section>

      <section aria-labelledby="equipe">
        <h2 id="equipe">Équipe</h2>
        <FormError message={errorsFor("remove").form} />
        <table>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Adresse e-mail</th>
              <th scope="col">Rôle</th>
              <th scope="col">Certification</th>
              {canManage ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <th scope="row">
                  {m.name}
                  {m.userId === currentUserId ? <span className="muted"> (vous)</span> : null}
                </th>
                <td>{m.email}</td>
                <td>{MEMBERSHIP_ROLE_LABELS[m.role]}</td>
                <td>{m.certified ? "Certifié·e" : "Non certifié·e"}</td>
                {canManage ? (
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      {hidden}
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="link-button" aria-label={`Retirer ${m.name} du relais`}>
                        Retirer
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {canManage ? (
          <>
            <h3>Inviter une ou un collègue</h3>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="invite" />
              <input type="hidden" name="role" value="MEMBER" />
              {hidden}
              <FormError message={errorsFor("invite").form} />
              <Field label="Adresse e-mail de la ou du collègue" name="email" type="email" autoComplete="off" defaultValue={valuesFor("invite").email} error={errorsFor("invite").email} maxLength={EMAIL_MAX} />
              <p>
                <button type="submit">Envoyer l'invitation</button>
              </p>
            </Form>
            {space.pendingInvitations.length > 0 ? (
              <>
                <h3>Invitations en attente</h3>
                <ul>
                  {space.pendingInvitations.map((i) => (
                    <li key={i.id}>
                      {i.email} ({MEMBERSHIP_ROLE_LABELS[i.role]}) — valable jusqu'au {formatDate(new Date(i.expiresAt))}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </section>

      <section aria-labelledby="informations">
        <h2 id="informations">Informations publiques du relais</h2>
        <p>Elles paraissent dans l'annuaire des Relais Numériques quand le relais est actif.</p>
        {canManage ? (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="details" />
            {hidden}
            <FormError message={errorsFor("details").form} />
            <TextAreaField name="description" label="Présentation" value={valuesFor("details").description ?? relay.description ?? ""} error={errorsFor("details").description} maxLength={1000} />
            <fieldset aria-describedby={errorsFor("details").services ? "field-services-error" : "field-services-hint"}>
              <legend>Ce que le relais propose</legend>
              <p className="hint" id="field-services-hint">
                Les services du référentiel national des lieux de médiation numérique. « {RECHARGE_SERVICE} » est toujours indiqué : le relais délivre des recharges.
              </p>
              {relay.legacyServices ? <p className="hint pre-line">Votre ancienne saisie, à reporter dans la liste : {relay.legacyServices}</p> : null}
              {errorsFor("details").services ? (
                <p className="error" id="field-services-error">
                  {errorsFor("details").services}
                </p>
              ) : null}
              {MEDIATION_SERVICES.filter((s) => s !== RECHARGE_SERVICE).map((service, i) => (
                <div className="field checkbox" key={service}>
                  <input
                    type="checkbox"
                    id={`service-${i}`}
                    name="services"
                    value={service}
                    defaultChecked={(failed?.intent === "details" ? (valuesFor("details").services ?? "").split("|") : relay.services).includes(service)}
                  />
                  <label htmlFor={`service-${i}`}>{service}</label>
                </div>
              ))}
            </fieldset>
            <fieldset>
              <legend>Horaires d'accueil</legend>
              <p className="hint">Une ligne par jour, par exemple « 9h-12h, 13h30-17h ». Laissez vide les jours de fermeture.</p>
              {relay.legacyHours ? <p className="hint pre-line">Votre ancienne saisie, à reporter jour par jour : {relay.legacyHours}</p> : null}
              {WEEKDAYS.map((d) => (
                <Field
                  key={d.osm}
                  name={`hours_${d.osm}`}
                  label={d.label}
                  defaultValue={valuesFor("details")[`hours_${d.osm}`] ?? relay.hoursInput[d.osm] ?? ""}
                  error={errorsFor("details")[`hours_${d.osm}`]}
                  maxLength={200}
                />
              ))}
            </fieldset>
            <p>
              <button type="submit">Enregistrer</button>
            </p>
          </Form>
        ) : (
          <dl className="details">
            <dt>Présentation</dt>
            <dd className="pre-line">{relay.description ?? "—"}</dd>
            <dt>Ce que le relais propose</dt>
            <dd>{relay.services.join(" · ")}</dd>
            <dt>Horaires d'accueil</dt>
            <dd className="pre-line">{relay.hoursLines.length > 0 ? relay.hoursLines.join("\n") : "—"}</dd>
          </dl>
        )}
      </section>
    </>
  );
}
