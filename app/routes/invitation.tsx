import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { getOptionalUser, requireUser } from "~/modules/auth/session.server";
import { acceptInvitation, getInvitation, type AcceptFailureReason } from "~/modules/structures/invitations.server";
import { AcceptInvitationSchema, MEMBERSHIP_ROLE_LABELS } from "~/modules/structures/invitations.schema";
import { relayStatusNote } from "~/modules/relays/activation.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Invitation à rejoindre une structure — Maillon" }];

// The address carries a secret: keep it out of Referer headers and shared caches.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const [invitation, user] = await Promise.all([getInvitation(token), getOptionalUser(request)]);
  const here = url.pathname + url.search;
  const view = {
    token,
    loginUrl: `/connexion?${new URLSearchParams({ redirectTo: here })}`,
    user: user && { email: user.email },
    invitation: invitation && {
      structureName: invitation.structureName,
      inviterName: invitation.inviterName,
      email: invitation.email,
      role: MEMBERSHIP_ROLE_LABELS[invitation.role],
      state: invitation.state,
      matches: !!user && user.email.toLowerCase() === invitation.email,
    },
  };
  return data(view, { status: invitation ? 200 : 404 });
}

const FAILURE_MESSAGES: Record<AcceptFailureReason | "form", string> = {
  invalid: "Ce lien d'invitation n'est pas valide. Vérifiez que vous l'avez copié en entier.",
  wrong_email: "Cette invitation est adressée à une autre adresse e-mail que celle de votre compte.",
  already_used: "Cette invitation a déjà été utilisée.",
  expired: "Cette invitation a expiré. Demandez à la ou au référent·e de la structure de vous en envoyer une nouvelle.",
  form: "Le lien d'invitation est incomplet.",
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(AcceptInvitationSchema, await request.formData());
  if (!parsed.ok) return data({ message: FAILURE_MESSAGES.form }, { status: 400 });
  const result = await acceptInvitation({ token: parsed.data.token, user });
  if (!result.ok) return data({ message: FAILURE_MESSAGES[result.reason] }, { status: 400 });
  return redirectWithFlash(`/ma-structure?structure=${encodeURIComponent(result.structureId)}`, {
    kind: "success",
    message: `Vous avez rejoint la structure ${result.structureName}.${relayStatusNote(result.relayChanges)}`,
  });
}

export default function InvitationPage() {
  const { token, loginUrl, user, invitation } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();

  if (!invitation) {
    return (
      <>
        <h1>Invitation introuvable</h1>
        <p>{FAILURE_MESSAGES.invalid}</p>
        <p>
          <Link to="/">Retour à l'accueil</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1>Rejoindre {invitation.structureName}</h1>
      <p>
        {invitation.inviterName} vous invite à rejoindre la structure <strong>{invitation.structureName}</strong> sur Maillon, en tant
        que {invitation.role.toLowerCase()}. L'invitation est adressée à <strong>{invitation.email}</strong>.
      </p>
      {invitation.state === "pending" ? <FormError message={failed?.message} /> : null}
      {invitation.state === "accepted" ? (
        <p>{FAILURE_MESSAGES.already_used}</p>
      ) : invitation.state === "expired" ? (
        <p>{FAILURE_MESSAGES.expired}</p>
      ) : !user ? (
        <>
          <p>Pour accepter, connectez-vous avec cette adresse e-mail, puis revenez sur ce lien.</p>
          <ul>
            <li>
              <Link to={loginUrl}>Se connecter</Link>
            </li>
            <li>
              Pas encore de compte ? <Link to="/inscription">Créer un compte</Link> avec l'adresse {invitation.email}, confirmez-la,
              puis rouvrez ce lien.
            </li>
          </ul>
        </>
      ) : !invitation.matches ? (
        <p>
          Vous êtes connecté·e avec l'adresse <strong>{user.email}</strong>. Pour accepter, déconnectez-vous puis connectez-vous
          avec l'adresse {invitation.email}.
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="token" value={token} />
          <button type="submit">Accepter l'invitation</button>
        </Form>
      )}
    </>
  );
}
