import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RulesText } from "~/components/RulesText";
import { requireUser } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { parseRulesText, rulesVersionLabel } from "~/modules/internal-rules/internal-rules.rules";
import { learnerRules } from "~/modules/internal-rules/internal-rules.server";

export const meta: MetaFunction = () => [{ title: "Règlement intérieur — Mon espace — Maillon" }];

/**
 * The règlement intérieur in the learner's space: the version in force, or (?version=N) a
 * version delivered to them with a convocation. Any other version is not theirs: 404.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const asked = new URL(request.url).searchParams.get("version");
  const number = asked === null ? null : /^\d{1,6}$/.test(asked) ? Number(asked) : -1;
  const rules = await learnerRules({ userId: user.id, number });
  if (rules.refused) throw new Response("Cette version du règlement intérieur ne vous a pas été remise.", { status: 404 });
  return {
    currentNumber: rules.current?.number ?? null,
    shown: rules.shown && { number: rules.shown.number, label: rulesVersionLabel(rules.shown), blocks: parseRulesText(rules.shown.body) },
    delivered: rules.delivered.map((d) => ({ ...d, deliveredAt: formatDateTime(d.deliveredAt), label: rulesVersionLabel({ number: d.number, createdAt: d.versionDate }) })),
  };
}

export default function MyInternalRules() {
  const { currentNumber, shown, delivered } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/mon-espace">← Mon espace</Link>
      </p>
      <h1>Règlement intérieur</h1>
      {shown ? (
        <p>
          {shown.number === currentNumber ? "Version en vigueur" : "Version remise avec votre convocation, qui n'est plus en vigueur"} :{" "}
          <strong>{shown.label}</strong>.
          {shown.number !== currentNumber && currentNumber !== null ? (
            <>
              {" "}
              <Link to="/mon-espace/reglement-interieur">Lire la version en vigueur</Link>
            </>
          ) : null}
        </p>
      ) : (
        <p>Le règlement intérieur n'est pas encore publié.</p>
      )}
      {delivered.length > 0 ? (
        <section aria-labelledby="remis">
          <h2 id="remis">Remis avec vos convocations</h2>
          <ul>
            {delivered.map((d) => (
              <li key={d.enrolmentId}>
                {d.moduleTitle} : <Link to={`/mon-espace/reglement-interieur?version=${d.number}`}>{d.label}</Link>, le {d.deliveredAt}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {shown ? (
        <section aria-labelledby="texte">
          <h2 id="texte" className="visually-hidden">
            Texte du règlement intérieur
          </h2>
          <RulesText blocks={shown.blocks} headingLevel={3} />
        </section>
      ) : null}
    </>
  );
}
