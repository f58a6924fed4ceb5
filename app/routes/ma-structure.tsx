import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { can } from "~/modules/auth/permissions.rules";
import { forbidden } from "~/modules/auth/require.server";
import { requireUser } from "~/modules/auth/session.server";
import {
  getStructureName,
  inviteColleague,
  listPendingInvitations,
  listStructureMembers,
  removeMember,
} from "~/modules/structures/invitations.server";
import { EMAIL_MAX, INVITATION_TTL_DAYS, InviteSchema, MEMBERSHIP_ROLE_LABELS, MEMBERSHIP_ROLES, RemoveMemberSchema } from "~/modules/structures/invitations.schema";
import { relayStatusNote } from "~/modules/relays/activation.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Ma structure — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const requested = new URL(request.url).searchParams.get("structure");
  const choices = user.memberships.map((m) => ({ structureId: m.structureId, structureName: m.structureName, role: m.role }));
  const structureId = requested ?? (choices.length === 1 ? choices[0]?.structureId : undefined);
  if (!structureId && choices.length === 0) return { view: "none" as const, choices };
  if (!structureId) return { view: "pick" as const, choices };
  if (!can(user, "structure.viewMembers", { structureId })) throw forbidden();
  const name = await getStructureName(structureId);
  if (!name) throw new Response("Cette structure n'existe pas.", { status: 404 });
  const canInvite = can(user, "structure.invite", { structureId });
  const [members, pending] = await Promise.all([
    listStructureMembers(structureId),
    canInvite ? listPendingInvitations(structureId) : Promise.resolve([]),
  ]);
  return {
    view: "structure" as const,
    choices,
    structure: { id: structureId, name },
    currentUserId: user.id,
    canInvite,
    canRemove: can(user, "structure.removeMember", { structureId }),
    members,
    pending,
  };
}

type ActionFailure = { intent: "invite" | "remove"; errors: FieldErrors; values: Record<string, string> };

const structurePath = (structureId: string) => `/ma-structure?structure=${encodeURIComponent(structureId)}`;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const rawStructureId = formData.get("structureId");
  const structureId = typeof rawStructureId === "string" ? rawStructureId : "";

  if (intent === "invite") {
    if (!can(user, "structure.invite", { structureId })) throw forbidden();
    const parsed = parseForm(InviteSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await inviteColleague({ actor: user, ...parsed.data });
    if (!result.ok) {
      return data<ActionFailure>({ intent, errors: { [result.field]: result.message }, values: { email: parsed.data.email, role: parsed.data.role } }, { status: 400 });
    }
    return redirectWithFlash(structurePath(structureId), {
      kind: "success",
      message: `Invitation envoyée à ${parsed.data.email}. Le lien est valable ${INVITATION_TTL_DAYS} jours.`,
    });
  }

  if (intent === "remove") {
    if (!can(user, "structure.removeMember", { structureId })) throw forbidden();
    const parsed = parseForm(RemoveMemberSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: { form: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
    const result = await removeMember({ actor: user, ...parsed.data });
    if (!result.ok) return data<ActionFailure>({ intent, errors: { form: result.message }, values: {} }, { status: 400 });
    const removedSelf = parsed.data.userId === user.id;
    return redirectWithFlash(removedSelf ? "/mon-espace" : structurePath(structureId), {
      kind: "success",
      message: (removedSelf ? "Vous ne faites plus partie de cette structure." : "La personne a été retirée de la structure.") + relayStatusNote(result.relayChanges),
    });
  }

  return data<ActionFailure>({ intent: "invite", errors: { form: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
}

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" });

function StructurePicker({ choices }: { choices: { structureId: string; structureName: string; role: string }[] }) {
  return (
    <>
      <p>Vous faites partie de plusieurs structures. Laquelle voulez-vous voir ?</p>
      <ul>
        {choices.map((c) => (
          <li key={c.structureId}>
            <Link to={structurePath(c.structureId)}>{c.structureName}</Link>{" "}
            <span className="muted">({MEMBERSHIP_ROLE_LABELS[c.role as keyof typeof MEMBERSHIP_ROLE_LABELS] ?? c.role})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

export default function MyStructure() {
  const data = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();

  if (data.view === "none") {
    return (
      <>
        <h1>Ma structure</h1>
        <p>
          Vous n'êtes rattaché·e à aucune structure. Si vous travaillez dans une structure partenaire, demandez à sa ou son
          référent·e de vous inviter : vous recevrez un lien par e-mail.
        </p>
      </>
    );
  }
  if (data.view === "pick") {
    return (
      <>
        <h1>Ma structure</h1>
        <StructurePicker choices={data.choices} />
      </>
    );
  }

  const { structure, members, pending, canInvite, canRemove, currentUserId } = data;
  const inviteErrors = failed?.intent === "invite" ? failed.errors : {};
  const inviteValues = failed?.intent === "invite" ? failed.values : {};
  const removeError = failed?.intent === "remove" ? failed.errors.form : undefined;
  const roleError = inviteErrors.role;
  const selectedRole = inviteValues.role ?? "MEMBER";

  return (
    <>
      <h1>Ma structure : {structure.name}</h1>
      {data.choices.length > 1 ? (
        <p>
          <Link to="/ma-structure">Changer de structure</Link>
        </p>
      ) : null}

      <section aria-labelledby="membres">
        <h2 id="membres">Membres</h2>
        <FormError message={removeError} />
        <table>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Adresse e-mail</th>
              <th scope="col">Rôle</th>
              {canRemove ? <th scope="col">Action</th> : null}
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
                {canRemove ? (
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="structureId" value={structure.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="link-button" aria-label={`Retirer ${m.name} de la structure`}>
                        Retirer
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {canInvite ? (
        <>
          <section aria-labelledby="inviter">
            <h2 id="inviter">Inviter une ou un collègue</h2>
            <p>
              Votre collègue reçoit un lien par e-mail, valable {INVITATION_TTL_DAYS} jours. Il ou elle rejoint la structure en se
              connectant (ou en créant son compte) avec cette adresse.
            </p>
            <Form method="post" className="stack" noValidate>
              <FormError message={inviteErrors.form} />
              <input type="hidden" name="intent" value="invite" />
              <input type="hidden" name="structureId" value={structure.id} />
              <Field
                label="Adresse e-mail de la ou du collègue"
                name="email"
                type="email"
                autoComplete="off"
                defaultValue={inviteValues.email}
                error={inviteErrors.email}
                maxLength={EMAIL_MAX}
                required
              />
              <div className="field">
                <label htmlFor="field-role">Rôle dans la structure</label>
                <p className="hint" id="field-role-hint">
                  Une ou un référent·e peut inviter et retirer des membres.
                </p>
                <select
                  id="field-role"
                  name="role"
                  defaultValue={selectedRole}
                  aria-invalid={roleError ? true : undefined}
                  aria-describedby={roleError ? "field-role-hint field-role-error" : "field-role-hint"}
                >
                  {MEMBERSHIP_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {MEMBERSHIP_ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
                {roleError ? (
                  <p className="error" id="field-role-error">
                    {roleError}
                  </p>
                ) : null}
              </div>
              <p>
                <button type="submit">Envoyer l'invitation</button>
              </p>
            </Form>
          </section>

          <section aria-labelledby="en-attente">
            <h2 id="en-attente">Invitations en attente</h2>
            {pending.length === 0 ? (
              <p className="muted">Aucune invitation en attente.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Adresse e-mail</th>
                    <th scope="col">Rôle</th>
                    <th scope="col">Invité·e par</th>
                    <th scope="col">Valable jusqu'au</th>
                  </tr>
                </thead>
                <tbody>
                  {pending.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">{i.email}</th>
                      <td>{MEMBERSHIP_ROLE_LABELS[i.role]}</td>
                      <td>{i.invitedBy}</td>
                      <td>{dateFormat.format(new Date(i.expiresAt))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
