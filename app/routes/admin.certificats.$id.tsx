import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { certificatePdfHref } from "~/components/CertificatesTable";
import { FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { REVOCATION_REASON_MIN_LENGTH, revocationRefusal } from "~/modules/certificates/certificate.rules";
import { getCertificateForStaff } from "~/modules/certificates/documents.server";
import { revokeCertificate } from "~/modules/certificates/issue.server";
import { reissueCertificate } from "~/modules/certificates/session-close.server";
import { formatDate } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";

/** /admin/certificats/:id: one certificate for staff: issue it again (corrected) or revoke it with a reason. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Certificat ${data.certificate.number}` : "Certificat"} — Administration — Maillon` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const certificate = await getCertificateForStaff(params.id ?? "");
  if (!certificate) throw new Response("Ce certificat n'existe pas.", { status: 404 });
  return { certificate, reasonMinLength: REVOCATION_REASON_MIN_LENGTH };
}

type Failure = { intent: "reissue" | "revoke"; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const id = params.id ?? "";
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "reissue") {
    const result = await reissueCertificate({ actor: user, id });
    if (!result.ok) return data<Failure>({ intent, errors: { form: result.error }, values: {} }, { status: result.status });
    return redirectWithFlash(`/admin/certificats/${result.id}`, { kind: "success", message: `Le certificat ${result.number} remplace le précédent ; il a été envoyé par e-mail.` });
  }
  if (intent === "revoke") {
    const reason = String(formData.get("reason") ?? "");
    const refusal = revocationRefusal({ revokedAt: null }, reason);
    if (refusal) return data<Failure>({ intent, errors: { reason: refusal }, values: { reason } }, { status: 400 });
    const result = await revokeCertificate({ actor: user, id, reason });
    if (!result.ok) return data<Failure>({ intent, errors: { form: result.error }, values: { reason } }, { status: result.status });
    return redirectWithFlash(`/admin/certificats/${id}`, { kind: "success", message: "Le certificat est révoqué : la page de vérification l'indique avec la raison." });
  }
  return data<Failure>({ intent: "reissue", errors: { form: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
}

export default function StaffCertificate() {
  const { certificate: c, reasonMinLength } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const reissueFailed = failed?.intent === "reissue" ? failed : null;
  const revokeFailed = failed?.intent === "revoke" ? failed : null;
  const inForce = c.status === "VALID" || c.status === "EXPIRED";
  return (
    <>
      <p>
        <Link to={`/admin/sessions/${c.sessionId}#certificats`}>← Certificats de la session</Link>
      </p>
      <h1>
        {c.kindLabel} n° {c.number}
        <span className="subtitle">
          {c.holderName} — {c.moduleTitle}
        </span>
      </h1>
      <dl className="facts">
        <div>
          <dt>Statut</dt>
          <dd>
            {c.statusLabel}
            {c.revokedReason ? ` : ${c.revokedReason}` : null}
          </dd>
        </div>
        <div>
          <dt>Délivré le</dt>
          <dd>{formatDate(c.issuedAt)}</dd>
        </div>
        <div>
          <dt>Durée suivie</dt>
          <dd>{c.duration}</dd>
        </div>
      </dl>
      <p>
        <a href={certificatePdfHref(c.id)} download>
          Télécharger le PDF
        </a>
        {" — "}
        <a href={`/certificats/verifier/${c.verificationCode}`}>Page de vérification publique</a>
      </p>

      {inForce ? (
        <>
          <section aria-labelledby="delivrer">
            <h2 id="delivrer">Délivrer à nouveau</h2>
            <p>
              Un nouveau certificat, avec un nouveau numéro, reprend la durée suivie d'après les feuilles d'émargement et l'évaluation des acquis telles
              qu'elles sont aujourd'hui ; il est envoyé par e-mail. Celui-ci devient « remplacé ».
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="reissue" />
              <FormError message={reissueFailed?.errors.form} />
              <p>
                <button type="submit">Délivrer à nouveau</button>
              </p>
            </Form>
          </section>

          <section aria-labelledby="revoquer">
            <h2 id="revoquer">Révoquer</h2>
            <p>La raison est publique : la page de vérification l'affiche avec la date de révocation.</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="revoke" />
              <FormError message={revokeFailed?.errors.form} />
              <div className="field">
                <label htmlFor="field-reason">Raison de la révocation ({reasonMinLength} caractères au moins)</label>
                <textarea
                  id="field-reason"
                  name="reason"
                  rows={3}
                  defaultValue={revokeFailed?.values.reason ?? ""}
                  aria-invalid={revokeFailed?.errors.reason ? true : undefined}
                  aria-describedby={revokeFailed?.errors.reason ? "field-reason-error" : undefined}
                />
                {revokeFailed?.errors.reason ? (
                  <p className="error" id="field-reason-error">
                    {revokeFailed.errors.reason}
                  </p>
                ) : null}
              </div>
              <p>
                <button type="submit">Révoquer le certificat</button>
              </p>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
