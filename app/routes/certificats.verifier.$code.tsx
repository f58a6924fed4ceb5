import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import {
  CERTIFICATE_KIND_LABELS,
  formatAttendedDuration,
  lastValidDay,
  objectivesLabel,
  type CertificateStatus,
} from "~/modules/certificates/certificate.rules";
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
    developmentKey: usesDevelopmentSigningKey(),
    badgePath: openBadgePath(c.verificationCode),
  };
}

export default function VerifiedCertificatePage() {
  const c = useLoaderData<typeof loader>();
  const ok = c.status === "VALID" && c.signatureValid;
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
          <strong>{STATUS_TEXT[c.status]}</strong>
          {c.status === "REVOKED" ? ` le ${c.revokedOn}. Motif : ${c.revokedReason ?? "non précisé"}` : null}
          {c.status === "SUPERSEDED" ? ` le ${c.supersededOn}.` : null}
          {c.status === "EXPIRED" ? ` : sa validité a pris fin le ${c.validUntil}.` : null}
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
      <p>
        <a href={c.badgePath}>Télécharger ce certificat au format Open Badges 3.0 (JSON)</a> ·{" "}
        <a href="/certificats/cle-publique">Clé publique de signature</a>
      </p>
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
