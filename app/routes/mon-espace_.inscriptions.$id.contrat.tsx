import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/Field";
import { requireUser } from "~/modules/auth/session.server";
import { ContractActionSchema } from "~/modules/contracts/contract.schema";
import { contractPath } from "~/modules/contracts/contract.rules";
import { acceptContract, getContractView, startCardSetup, withdrawFromContract } from "~/modules/contracts/contract.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

/**
 * The learner's contrat de formation (decision 031): read it (the stored PDF), accept it,
 * save the card (no money taken), and withdraw during the ten days with one button. Only
 * POST changes anything; another person's enrolment is a 404.
 */
export const meta: MetaFunction = () => [{ title: "Contrat de formation — Maillon" }];

const noStore = { "Cache-Control": "private, no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await getContractView({ userId: user.id, enrolmentId: params.id ?? "" });
  if (!view) throw new Response("Contrat introuvable", { status: 404, headers: noStore });
  const state = new URL(request.url).searchParams.get("etat");
  return data({ view, userName: user.name, returned: state === "carte" ? ("card" as const) : state === "abandon" ? ("abandon" as const) : null }, { headers: noStore });
}

type ActionAnswer = { errors?: FieldErrors; values?: Record<string, string>; message?: string; kind?: "success" | "error" };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const enrolmentId = params.id ?? "";
  const answer = (body: ActionAnswer, status: number) => data<ActionAnswer>(body, { status, headers: noStore });
  const parsed = parseForm(ContractActionSchema, await request.formData());
  if (!parsed.ok) return answer({ errors: parsed.errors, values: parsed.values }, 400);
  const form = parsed.data;
  if (form.intent === "withdraw") {
    const result = await withdrawFromContract({ user, enrolmentId });
    if (!result.ok) return answer({ message: result.message, kind: "error" }, result.message === "Ce contrat n'existe pas." ? 404 : 400);
    return answer(
      {
        kind: "success",
        message: result.already
          ? `Votre rétractation est déjà enregistrée depuis le ${formatDateTime(result.withdrawnAt)} : votre inscription est annulée et rien ne vous sera prélevé.`
          : "Votre rétractation est enregistrée : votre inscription est annulée et rien ne vous sera prélevé. Un e-mail de confirmation vous a été envoyé.",
      },
      200,
    );
  }
  if (form.intent === "accept") {
    const accepted = await acceptContract({ user, enrolmentId, name: form.name, sha256: form.sha256, ip: context?.ip ?? "inconnue" });
    if (!accepted.ok) return answer({ message: accepted.message, kind: "error", values: { name: form.name } }, accepted.message === "Ce contrat n'existe pas." ? 404 : 400);
  }
  const setup = await startCardSetup({ user, enrolmentId });
  if (setup.ok) return redirect(setup.url, 303);
  if (setup.message === "Ce contrat n'existe pas.") return answer({ message: setup.message, kind: "error" }, 404);
  return redirectWithFlash(contractPath(enrolmentId), { kind: "error", message: setup.message });
}

export default function ContractPage() {
  const { view: v, userName, returned } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pdfUrl = `${contractPath(v.enrolmentId)}.pdf`;
  const outlasts = v.withdrawal ? v.withdrawal.outlastsStart : v.periodIfAcceptedNow.outlastsStart;
  const lastDay = v.withdrawal ? v.withdrawal.lastDay : `${v.periodIfAcceptedNow.lastDay} à 23:59`;
  return (
    <>
      <h1>Contrat de formation</h1>
      {result?.message ? (
        <p role={result.kind === "error" ? "alert" : "status"} className={result.kind === "error" ? "flash flash-error" : "flash flash-success"}>
          {result.message}
        </p>
      ) : null}
      <p>
        Formation « {v.moduleTitle} », {v.dates.toLowerCase()} — {v.price}, à votre charge.
      </p>
      <p>
        <a href={pdfUrl} download>
          Télécharger le contrat (PDF)
        </a>{" "}
        — établi le {v.issuedOn}, empreinte SHA-256 <code>{v.sha256}</code>.
      </p>

      <section aria-labelledby="regles">
        <h2 id="regles">Ce que prévoit la loi</h2>
        <ul>
          <li>
            Vous pouvez vous rétracter pendant 10 jours après avoir accepté le contrat, sans motif et sans rien payer (article L6353-5 du Code du travail) :{" "}
            {v.withdrawal ? `jusqu'au ${lastDay}.` : `si vous acceptez aujourd'hui, jusqu'au ${lastDay}.`}
          </li>
          <li>
            Rien n'est prélevé avant la fin de ce délai. Votre carte est seulement enregistrée. À la fin du délai, 30 % du prix sont prélevés ({v.deposit}) ; le solde
            ({v.balance}) l'est à la fin de la formation (article L6353-6).
          </li>
        </ul>
        {outlasts ? (
          <p className="notice">
            Votre session commence le {v.firstSlot}, avant la fin du délai de rétractation. Vous pouvez suivre la formation dès le premier jour, et vous pouvez quand même
            vous rétracter jusqu'au {lastDay} : vous ne devrez alors rien, même pour les heures déjà suivies. Le premier prélèvement n'aura lieu qu'après ce délai.
          </p>
        ) : null}
      </section>

      {v.withdrawnAt ? <p role="status">Vous vous êtes rétracté·e le {v.withdrawnAt}. Votre inscription est annulée ; rien ne vous sera prélevé.</p> : null}

      {v.canAccept ? (
        <section aria-labelledby="accepter">
          <h2 id="accepter">Accepter le contrat</h2>
          {v.holdUntil ? <p>Votre place est réservée jusqu'au {v.holdUntil} : acceptez le contrat et enregistrez votre carte d'ici là.</p> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <input type="hidden" name="sha256" value={v.sha256} />
            <Field label="Votre nom et prénom" name="name" autoComplete="name" required maxLength={120} defaultValue={result?.values?.name ?? userName} error={result?.errors?.name ?? null} />
            <div className="field">
              <input type="checkbox" id="field-accepted" name="accepted" aria-describedby={result?.errors?.accepted ? "field-accepted-error" : undefined} />{" "}
              <label htmlFor="field-accepted">J'ai lu le contrat de formation et je l'accepte.</label>
              {result?.errors?.accepted ? (
                <p id="field-accepted-error" className="field-error">
                  {result.errors.accepted}
                </p>
              ) : null}
            </div>
            {result?.errors?.sha256 ? <p className="field-error">{result.errors.sha256}</p> : null}
            <button type="submit">J'accepte le contrat et j'enregistre ma carte</button>
          </Form>
        </section>
      ) : null}

      {v.accepted ? (
        <p>
          Contrat accepté par {v.accepted.name} le {v.accepted.at} (adresse IP {v.accepted.ip}).
        </p>
      ) : null}

      {returned === "card" && !v.cardSaved && !v.withdrawnAt ? (
        <p role="status">
          Stripe nous transmet l'enregistrement de votre carte : cela prend en général quelques secondes.{" "}
          <Link to={`${contractPath(v.enrolmentId)}?etat=carte`} reloadDocument>
            Vérifier à nouveau
          </Link>
        </p>
      ) : null}
      {returned === "abandon" && !v.cardSaved ? <p role="status">La carte n'a pas été enregistrée.</p> : null}
      {v.cardSaved && v.enrolmentStatus === "CONFIRMED" ? <p role="status">Votre carte est enregistrée et votre inscription est confirmée. Votre convocation vous a été envoyée par e-mail.</p> : null}

      {v.canSaveCard ? (
        <Form method="post">
          <input type="hidden" name="intent" value="card" />
          <p>Aucun montant n'est prélevé à l'enregistrement de la carte.</p>
          <button type="submit">{v.cardSaved ? "Enregistrer une autre carte" : "Enregistrer ma carte"}</button>
        </Form>
      ) : null}

      {v.charges.length > 0 ? (
        <section aria-labelledby="echeancier">
          <h2 id="echeancier">Échéancier</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Échéance</th>
                <th scope="col">Date</th>
                <th scope="col">Montant</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {v.charges.map((c) => (
                <tr key={c.kind}>
                  <th scope="row">{c.kind === "DEPOSIT" ? "Acompte (30 %)" : "Solde"}</th>
                  <td>{c.dueOn}</td>
                  <td>{c.amount}</td>
                  <td>{c.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {v.withdrawal?.open ? (
        <section aria-labelledby="retractation">
          <h2 id="retractation">Me rétracter</h2>
          <p>
            Vous pouvez vous rétracter jusqu'au {v.withdrawal.lastDay}. Votre inscription sera annulée, votre place proposée à la liste d'attente, et rien ne vous
            sera prélevé. Une lettre recommandée avec avis de réception reste possible ; ce bouton suffit.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit">Me rétracter</button>
          </Form>
        </section>
      ) : null}
      <p>
        <Link to="/mon-espace">Retour à mon espace</Link>
      </p>
    </>
  );
}
