import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import {
  CERTIFICATE_KIND_LABELS,
  formatAttendedDuration,
  lastValidDay,
  objectivesLabel,
  parseCertificateNumber,
  type CertificateStatus,
} from "~/modules/certificates/certificate.rules";
import { DID_DOCUMENT_PATH, statusListPath } from "~/modules/certificates/credential.server";
import { MAX_CREDENTIAL_BYTES, verifyPresentedCredential, type CredentialVerdict } from "~/modules/certificates/credential-verify.server";
import { findCertificateForVerification, openBadgePath } from "~/modules/certificates/issue.server";
import { usesDevelopmentSigningKey } from "~/modules/certificates/signing-key.server";
import { formatDate, formatDateRange } from "~/utils/dates";
import type { RouteHandle } from "~/root";

/** Served without JavaScript (root.tsx): the page must stay light and work on any phone that scans the QR code. */
export const handle: RouteHandle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Certificat ${data.number} — vérification — Maillon` : "Vérification de certificat — Maillon" },
  { name: "robots", content: "noindex" },
];

const STATUS_TEXT: Record<CertificateStatus, string> = {
  VALID: "Certificat valide",
  EXPIRED: "Certificat expiré",
  REVOKED: "Certificat révoqué",
  SUPERSEDED: "Certificat remplacé par un certificat plus récent",
};

/** GET /certificats/verifier/:code, where the QR code points: the certificate as issued, its status now, its signature. */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await findCertificateForVerification(params.code ?? "");
  if (found.kind === "malformed") throw new Response("malformed", { status: 400 });
  if (found.kind === "unknown") throw new Response("unknown", { status: 404 });
  const c = found.certificate;
  const day = (d: Date) => formatDate(d);
  return {
    number: c.number,
    code: c.verificationCode,
    kind: CERTIFICATE_KIND_LABELS[c.kind],
    isAttestation: c.kind === "END_OF_TRAINING",
    holderName: c.holderName,
    employerName: c.employerName,
    moduleTitle: c.moduleTitle,
    moduleSlug: c.module.slug,
    dates: formatDateRange(c.startsOn, c.endsOn),
    attended: formatAttendedDuration(c.attendedMinutes),
    objectives: objectivesLabel(c.objectivesReached),
    issuedOn: day(c.issuedAt),
    validUntil: c.expiresAt ? formatDate(new Date(`${lastValidDay(c.expiresAt)}T12:00:00Z`)) : null,
    status: c.status,
    revokedOn: c.revokedAt ? day(c.revokedAt) : null,
    revokedReason: c.revokedReason,
    supersededOn: c.supersededAt ? day(c.supersededAt) : null,
    signatureValid: c.signatureValid,
    badgeNamesHolder: c.badgeNamesHolder,
    developmentKey: usesDevelopmentSigningKey(),
    badgePath: openBadgePath(c.verificationCode),
    statusListPath: statusListPath(parseCertificateNumber(c.number)!.year),
    didPath: DID_DOCUMENT_PATH,
  };
}

type Checked = { verdict: CredentialVerdict; pasted: string };

/**
 * POST /certificats/verifier/:code: checks a pasted or uploaded Open Badges credential with
 * the standard verifier (credential-verify.server.ts), without JavaScript. Any credential of
 * this portal can be checked here, not only this page's.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CREDENTIAL_BYTES + 16 * 1024) {
    return data<Checked>({ verdict: { ok: false, signatureValid: false, checks: [{ label: "Document trop volumineux", ok: false, detail: "Un badge Maillon pèse quelques kilo-octets." }], verificationCode: null }, pasted: "" }, { status: 413 });
  }
  const form = await request.formData();
  const file = form.get("fichier");
  const pasted = String(form.get("badge") ?? "");
  const text = file instanceof File && file.size > 0 ? await file.text() : pasted;
  const verdict = await verifyPresentedCredential(text);
  return data<Checked>({ verdict, pasted: pasted.slice(0, MAX_CREDENTIAL_BYTES) }, { status: verdict.checks.length === 1 && !verdict.ok ? 400 : 200 });
}

function CredentialCheck() {
  const checked = useActionData<typeof action>();
  return (
    <section aria-labelledby="verifier-badge">
      <h2 id="verifier-badge">Vérifier un badge Open Badges</h2>
      <p>
        Ce certificat est aussi délivré comme badge Open Badges 3.0 signé : il se vérifie avec n'importe quel vérificateur Open Badges 3.0 (preuve Data Integrity{" "}
        <code>eddsa-rdfc-2022</code>), sans passer par ce site. L'émetteur est décrit par son <a href="/.well-known/did.json">document DID</a>, la révocation par une liste de
        statuts publique. Vous pouvez aussi déposer ici un fichier de badge reçu, pour le vérifier de la même façon.
      </p>
      {checked ? (
        <div className={`flash ${checked.verdict.ok ? "flash-success" : "flash-error"}`} role="status">
          <p>
            <strong>{checked.verdict.ok ? "Badge authentique et valide" : "Ce badge ne peut pas être tenu pour valide"}</strong>
          </p>
          <ul>
            {checked.verdict.checks.map((c) => (
              <li key={c.label}>
                {c.ok ? "✓ " : "✗ "}
                {c.label}
                {c.detail ? ` — ${c.detail}` : null}
              </li>
            ))}
          </ul>
          {checked.verdict.verificationCode ? (
            <p>
              <Link to={`/certificats/verifier/${checked.verdict.verificationCode}`}>Voir le certificat correspondant</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stack">
        <div className="field">
          <label htmlFor="fichier">Fichier du badge (open-badge.json)</label>
          <input id="fichier" name="fichier" type="file" accept=".json,application/json,application/ld+json" />
        </div>
        <div className="field">
          <label htmlFor="badge">ou contenu du badge, collé</label>
          <textarea id="badge" name="badge" rows={6} defaultValue={checked?.pasted ?? ""} spellCheck={false} />
        </div>
        <button type="submit">Vérifier le badge</button>
      </Form>
    </section>
  );
}

export default function VerifiedCertificatePage() {
  const c = useLoaderData<typeof loader>();
  const ok = c.status === "VALID" && c.signatureValid;
  // A status headline only for what the signature vouches for: otherwise the data proves nothing.
  const headline = c.signatureValid ? STATUS_TEXT[c.status] : "Certificat non authentique : signature invalide";
  return (
    <>
      <p>
        <Link to="/certificats/verifier">← Vérifier un autre certificat</Link>
      </p>
      <h1>
        {c.kind} n<sup>o</sup> {c.number}
      </h1>
      <div className={`flash ${ok ? "flash-success" : "flash-error"}`}>
        <p>
          <strong>{headline}</strong>
          {c.signatureValid && c.status === "REVOKED" ? ` le ${c.revokedOn}. Motif : ${c.revokedReason ?? "non précisé"}` : null}
          {c.signatureValid && c.status === "SUPERSEDED" ? ` le ${c.supersededOn}.` : null}
          {c.signatureValid && c.status === "EXPIRED" ? ` : sa validité a pris fin le ${c.validUntil}.` : null}
        </p>
        <p>
          {c.signatureValid
            ? "Signature électronique vérifiée : les informations ci-dessous sont celles délivrées par Maillon, sans modification."
            : "Signature électronique invalide : ces informations ne correspondent pas à un certificat signé par Maillon. Ne vous y fiez pas."}
        </p>
        {c.developmentKey ? <p>Attention : ce site de démonstration signe avec une clé de développement publique.</p> : null}
      </div>
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{c.kind}</dd>
        </div>
        <div>
          <dt>Numéro</dt>
          <dd>{c.number}</dd>
        </div>
        <div>
          <dt>Code de vérification</dt>
          <dd>{c.code}</dd>
        </div>
        <div>
          <dt>Titulaire</dt>
          <dd>{c.holderName}</dd>
        </div>
        {c.employerName ? (
          <div>
            <dt>Employeur</dt>
            <dd>{c.employerName}</dd>
          </div>
        ) : null}
        <div>
          <dt>Formation</dt>
          <dd>
            <Link to={`/formations/${c.moduleSlug}`}>{c.moduleTitle}</Link>
          </dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd>{c.dates}</dd>
        </div>
        <div>
          <dt>Durée suivie</dt>
          <dd>{c.attended}</dd>
        </div>
        {c.isAttestation ? (
          <div>
            <dt>Évaluation des acquis</dt>
            <dd>{c.objectives}</dd>
          </div>
        ) : null}
        <div>
          <dt>Délivré le</dt>
          <dd>{c.issuedOn}</dd>
        </div>
        <div>
          <dt>Valable jusqu'au</dt>
          <dd>{c.validUntil ?? "Sans date de fin"}</dd>
        </div>
      </dl>
      <h2>Badge Open Badges 3.0</h2>
      {c.status === "REVOKED" ? (
        <p>Ce certificat étant révoqué, son badge n'est plus délivré ; un badge déjà téléchargé apparaît comme révoqué à tout vérificateur.</p>
      ) : (
        <p>
          <a href={c.badgePath}>Télécharger ce certificat comme badge Open Badges 3.0 signé (JSON)</a>, à ranger dans un portefeuille numérique ou à joindre à un CV. Le badge
          désigne son ou sa titulaire par une empreinte salée (SHA-256) de son adresse e-mail, qui ne se lit pas
          {c.badgeNamesHolder ? ", et par son nom en clair, comme le certificat imprimé" : " ; son nom n'y figure pas en clair"}. Le ou la titulaire choisit dans son
          espace si son nom y figure.
        </p>
      )}
      <p>
        Pour les vérificateurs : <a href={c.didPath}>document DID de l'émetteur</a> (clés de signature) · <a href={c.statusListPath}>liste de statuts de révocation</a> ·{" "}
        <a href="/certificats/cle-publique">clé publique (PEM)</a>
      </p>
      <CredentialCheck />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status !== 400 && status !== 404) {
    return (
      <>
        <h1>Une erreur est survenue</h1>
        <p>La vérification n'a pas pu se faire. Réessayez dans un instant.</p>
      </>
    );
  }
  return (
    <>
      <h1>{status === 400 ? "Code de vérification mal formé" : "Certificat introuvable"}</h1>
      <p>
        {status === 400
          ? "Ce code ne peut pas être un code de vérification Maillon : il compte 16 caractères (chiffres et lettres), par exemple 7KQH-2M9X-PD4R-W0ZB. Vérifiez l'adresse ou le code saisi."
          : "Aucun certificat Maillon ne porte ce code de vérification. Vérifiez le code ; s'il est correct, ce document n'a pas été délivré par Maillon."}
      </p>
      <p>
        <Link to="/certificats/verifier">Saisir un code de vérification</Link>
      </p>
    </>
  );
}
