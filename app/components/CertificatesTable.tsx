import { Link } from "@remix-run/react";

export type CertificateRow = {
  id: string;
  number: string;
  verificationCode: string;
  holderName: string;
  moduleTitle: string;
  revokedReason: string | null;
  status: string;
  kindLabel: string;
  statusLabel: string;
  duration: string;
  validity: string;
};

export const certificatePdfHref = (id: string) => `/mon-espace/certificats/${encodeURIComponent(id)}/document.pdf`;

/** Certificates with their status and PDF; `forStaff` adds the holder and a link to manage each one. */
export function CertificatesTable({ certificates, forStaff }: { certificates: CertificateRow[]; forStaff: boolean }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{forStaff ? "Titulaire" : "Formation"}</th>
          <th scope="col">Document</th>
          <th scope="col">Durée suivie</th>
          <th scope="col">Statut</th>
          <th scope="col">Validité</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {certificates.map((c) => {
          const label = `${c.kindLabel} ${c.number}`;
          return (
            <tr key={c.id}>
              <th scope="row">{forStaff ? c.holderName : c.moduleTitle}</th>
              <td>
                {c.kindLabel}
                <br />
                <span className="muted">n° {c.number}</span>
              </td>
              <td>{c.duration}</td>
              <td>
                {c.statusLabel}
                {c.status === "REVOKED" && c.revokedReason ? <span className="muted"> : {c.revokedReason}</span> : null}
              </td>
              <td>{c.validity}</td>
              <td>
                <a href={certificatePdfHref(c.id)} download>
                  PDF<span className="visually-hidden"> : {label}</span>
                </a>
                {" — "}
                <a href={`/certificats/verifier/${c.verificationCode}`}>
                  Vérifier<span className="visually-hidden"> : {label}</span>
                </a>
                {forStaff ? (
                  <>
                    {" — "}
                    <Link to={`/admin/certificats/${encodeURIComponent(c.id)}`}>
                      Gérer<span className="visually-hidden"> : {label}</span>
                    </Link>
                  </>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
