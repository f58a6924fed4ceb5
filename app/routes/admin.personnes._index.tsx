import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { GrantByEmailSchema, InviteSchema, peopleFiltersQuery, readPeopleFilters } from "~/modules/people/people.schema";
import { grantRoleByEmail, invitePerson, listPeople } from "~/modules/people/people.server";
import { INVITABLE_ROLES, ROLE_LABELS, ROLES } from "~/modules/people/people.rules";
import { formatDate, formatTime } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Personnes — Administration — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "people.view");
  const filters = readPeopleFilters(new URL(request.url).searchParams);
  const list = await listPeople(user, filters);
  if (!list) throw new Response("Vous n'avez pas accès à cette page.", { status: 403 });
  return { filters, list };
}

type Intent = "grant" | "invite";
type ActionFailure = { intent: Intent; errors: FieldErrors; values: Record<string, string>; unknownEmail?: boolean };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "people.view");
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "grant") {
    const parsed = parseForm(GrantByEmailSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await grantRoleByEmail({ actor: user, ...parsed.data });
    if (!result.ok) {
      const unknownEmail = "unknownEmail" in result;
      return data<ActionFailure>({ intent, unknownEmail, ...failure({ [unknownEmail ? "email" : "form"]: result.message }, formData) }, { status: unknownEmail ? 404 : 400 });
    }
    return redirectWithFlash(`/admin/personnes/${encodeURIComponent(result.personId ?? "")}`, {
      kind: "success",
      message: `${result.name} a maintenant le rôle ${ROLE_LABELS[parsed.data.role].toLowerCase()}.`,
    });
  }

  if (intent === "invite") {
    await requirePermission(request, "people.invite");
    const parsed = parseForm(InviteSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await invitePerson({ actor: user, ...parsed.data });
    if (!result.ok) return data<ActionFailure>({ intent, ...failure({ [result.field]: result.message }, formData) }, { status: 400 });
    return redirectWithFlash(`/admin/personnes/${encodeURIComponent(result.personId)}`, {
      kind: "success",
      message: `Le compte de ${parsed.data.name} est créé : un e-mail lui est envoyé pour choisir son mot de passe.`,
    });
  }

  throw redirect("/admin/personnes");
}

function RoleSelect({ id, name, value, roles }: { id: string; name: string; value?: string; roles: readonly (keyof typeof ROLE_LABELS)[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>Rôle</label>
      <select id={id} name={name} defaultValue={value ?? ""}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function AdminPeople() {
  const { filters, list } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const grant = failed?.intent === "grant" ? failed : null;
  const invite = failed?.intent === "invite" ? failed : null;
  // An unknown address in "give a role": the invitation form takes over what was typed.
  const inviteValues = invite?.values ?? (grant?.unknownEmail ? grant.values : {});
  const inviteRole = INVITABLE_ROLES.includes(inviteValues.role as never) ? inviteValues.role : "TRAINER";
  return (
    <>
      <p>
        <Link to="/admin">← Administration</Link>
      </p>
      <h1>Personnes</h1>
      <Form method="get" className="filters" role="search" aria-labelledby="recherche">
        <h2 id="recherche">Rechercher</h2>
        <div className="field">
          <label htmlFor="q">Nom ou adresse e-mail</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} maxLength={200} />
        </div>
        <p className="filter-actions">
          <button type="submit">Rechercher</button>
          {filters.q ? <Link to="/admin/personnes">Effacer</Link> : null}
        </p>
      </Form>
      {list.rows.length === 0 ? (
        <p>Aucune personne ne correspond.</p>
      ) : (
        <table>
          <caption className="muted">
            {list.total} personne{list.total > 1 ? "s" : ""}
            {list.pageCount > 1 ? ` — page ${list.page} sur ${list.pageCount}` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Personne</th>
              <th scope="col">Rôles</th>
              <th scope="col">Structures</th>
              <th scope="col">Dernière connexion</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={`/admin/personnes/${p.id}`}>{p.name}</Link>
                  <br />
                  <span className="muted">{p.email}</span>
                  {p.deactivatedAt ? (
                    <>
                      <br />
                      <strong>Compte désactivé</strong>
                    </>
                  ) : null}
                </th>
                <td>{p.roles.length ? p.roles.map((r) => ROLE_LABELS[r]).join(", ") : "Aucun"}</td>
                <td>{p.structures.length ? p.structures.join(", ") : "—"}</td>
                <td>{p.lastLoginAt ? `${formatDate(new Date(p.lastLoginAt))} à ${formatTime(new Date(p.lastLoginAt))}` : p.hasPassword ? "Jamais" : "Invitation en attente"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.pageCount > 1 ? (
        <nav aria-label="Pages">
          <ul className="inline-list">
            {list.page > 1 ? (
              <li>
                <Link to={`/admin/personnes${peopleFiltersQuery(filters, list.page - 1)}`}>← Page précédente</Link>
              </li>
            ) : null}
            {list.page < list.pageCount ? (
              <li>
                <Link to={`/admin/personnes${peopleFiltersQuery(filters, list.page + 1)}`}>Page suivante →</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}

      <section aria-labelledby="donner-role" className="card">
        <h2 id="donner-role">Donner un rôle à une personne qui a un compte</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="grant" />
          <FormError message={grant?.errors.form} />
          <Field id="field-grant-email" label="Adresse e-mail" name="email" type="email" defaultValue={grant?.values.email} error={grant?.errors.email} required />
          <RoleSelect id="field-grant-role" name="role" value={grant?.values.role ?? "TRAINER"} roles={ROLES} />
          <Field id="field-grant-reason" label="Raison (gardée dans le journal)" name="reason" defaultValue={grant?.values.reason} error={grant?.errors.reason} required maxLength={500} />
          <p>
            <button type="submit">Donner le rôle</button>
          </p>
        </Form>
      </section>

      <section aria-labelledby="inviter" className="card">
        <h2 id="inviter">Inviter une formatrice, un formateur ou un membre de l'équipe</h2>
        <p>Un compte est créé avec le rôle choisi ; la personne reçoit par e-mail un lien pour choisir son mot de passe (valable 7 jours).</p>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <FormError message={invite?.errors.form} />
          <Field id="field-invite-email" label="Adresse e-mail" name="email" type="email" defaultValue={inviteValues.email} error={invite?.errors.email} required />
          <Field id="field-invite-name" label="Nom et prénom" name="name" defaultValue={inviteValues.name} error={invite?.errors.name} required maxLength={200} />
          <RoleSelect id="field-invite-role" name="role" value={inviteRole} roles={INVITABLE_ROLES} />
          <Field id="field-invite-reason" label="Raison (gardée dans le journal)" name="reason" defaultValue={inviteValues.reason} error={invite?.errors.reason} required maxLength={500} />
          <p>
            <button type="submit">Inviter</button>
          </p>
        </Form>
      </section>
    </>
  );
}
