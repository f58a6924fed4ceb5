import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { formatCode, formatEuros, maskCode } from "~/modules/recharges/display";
import { isVoucherPrintable, REVEAL_AGAIN_WINDOW_MS } from "~/modules/recharges/issuing.rules";
import { MistakeSchema } from "~/modules/recharges/issuing.schema";
import { lastValidDay } from "~/modules/recharges/stock.rules";
import { getIssue, revealCode } from "~/modules/recharges/issuing.server";
import { declareMistake } from "~/modules/recharges/quota.server";
import { requireActingRelay } from "~/modules/recharges/relay-space.server";
import { formatDate, formatTime } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Recharge délivrée — Maillon" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { userId, relay } = await requireActingRelay(request);
  const now = new Date();
  const reading = await getIssue(relay.relayId, params.issueId ?? "", userId, now);
  if (!reading.ok) throw new Response(reading.message, { status: reading.status });
  const { issue, access } = reading;
  return {
    issue,
    // Never the code: a GET (a prefetch, a reload, Back) must not show nor spend it. It comes in the answer to the POST below.
    access,
    revealAgainUntil: issue.codeRevealedAt && access.revealCode ? new Date(issue.codeRevealedAt.getTime() + REVEAL_AGAIN_WINDOW_MS) : null,
    revealAgainMinutes: REVEAL_AGAIN_WINDOW_MS / 60_000,
    voucher: issue.staffId === userId && !issue.mistakeDeclaredAt && isVoucherPrintable(issue.codeRevealedAt, now),
  };
}

type ActionAnswer = { code?: string; revealRefused?: string; errors?: FieldErrors; values?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { userId, relay } = await requireActingRelay(request);
  const issueId = params.issueId ?? "";
  const formData = await request.formData();
  if (formData.get("intent") === "reveal") {
    const code = await revealCode({ relayId: relay.relayId, staffId: userId, issueId });
    if (!code) return data<ActionAnswer>({ revealRefused: "Ce code ne peut plus être affiché : seule la personne qui a délivré la recharge le voit, peu après la délivrance." }, { status: 403 });
    return data<ActionAnswer>({ code: formatCode(code) });
  }
  const parsed = parseForm(MistakeSchema, formData);
  if (!parsed.ok) return data<ActionAnswer>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await declareMistake({ relayId: relay.relayId, issueId, actorId: userId, reason: parsed.data.reason });
  if (!result.ok) return data<ActionAnswer>({ errors: { reason: result.message }, values: { reason: parsed.data.reason } }, { status: "forbidden" in result ? 403 : 400 });
  return redirectWithFlash(`/espace-relais/recharges/${issueId}`, { kind: "success", message: "L'erreur est déclarée. L'équipe de l'association décidera de rendre ou non l'unité de quota." });
}

export default function IssuedRecharge() {
  const { issue, access, revealAgainUntil, revealAgainMinutes, voucher } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const code = answer?.code ?? null;
  const failed = answer?.errors ? { errors: answer.errors, values: answer.values ?? {} } : undefined;
  const issuedAt = new Date(issue.issuedAt);
  return (
    <>
      <p>
        <Link to="/espace-relais/recharges">← Recharges du relais</Link>
      </p>
      <h1>
        Recharge {issue.productName} — {formatEuros(issue.valueCents)}
      </h1>
      <p>
        Délivrée le {formatDate(issuedAt)} à {formatTime(issuedAt)}
        {issue.reference ? ` pour la référence ${issue.reference}` : ""}.
      </p>
      <p data-testid="code-expiry">Code valable jusqu'au {formatDate(lastValidDay(new Date(issue.codeExpiresAt)))} inclus.</p>
      {answer?.revealRefused ? (
        <p className="form-error" role="alert">
          {answer.revealRefused}
        </p>
      ) : null}
      {code ? (
        <section aria-labelledby="code-title" className="callout">
          <h2 id="code-title">Code à remettre</h2>
          <p className="code" data-testid="recharge-code">
            <strong>{code}</strong>
          </p>
          <p>Remettez-le maintenant ou imprimez le bon : il ne pourra plus être affiché {revealAgainMinutes} minutes après le premier affichage.</p>
        </section>
      ) : access.revealCode ? (
        <section aria-labelledby="code-title" className="callout">
          <h2 id="code-title">Code à remettre</h2>
          {revealAgainUntil ? (
            <p>
              Code : <span data-testid="masked-code">{maskCode(issue.last4)}</span>. Il a été affiché à {formatTime(new Date(issue.codeRevealedAt!))} ; si vous ne l'avez pas vu (page
              interrompue), vous pouvez l'afficher à nouveau jusqu'à {formatTime(new Date(revealAgainUntil))}.
            </p>
          ) : (
            <p>Le code n'est affiché qu'une fois : affichez-le quand la personne est devant vous.</p>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="reveal" />
            <button type="submit">{revealAgainUntil ? "Afficher à nouveau le code" : "Afficher le code"}</button>
          </Form>
        </section>
      ) : (
        <p>
          Code : <span data-testid="masked-code">{maskCode(issue.last4)}</span> (masqué{issue.codeRevealedAt ? " : il a déjà été affiché" : ""}).
        </p>
      )}
      {voucher ? (
        <p>
          <a href={`/espace-relais/recharges/${issue.id}/bon.pdf`}>Imprimer le bon de recharge (PDF)</a>
        </p>
      ) : null}
      {issue.mistakeDeclaredAt ? (
        <p>Erreur déclarée : {issue.mistakeReason}</p>
      ) : access.declareMistake ? (
        <section aria-labelledby="mistake-title">
          <h2 id="mistake-title">Déclarer une erreur</h2>
          <p>Pendant 15 minutes après la délivrance. Le code n'est pas remis en stock ; seule l'équipe de l'association peut rendre l'unité de quota.</p>
          <Form method="post" noValidate>
            <FormError message={failed?.errors.form} />
            <div className="field">
              <label htmlFor="field-reason">Raison de l'erreur</label>
              <textarea
                id="field-reason"
                name="reason"
                defaultValue={failed?.values.reason}
                maxLength={500}
                aria-invalid={failed?.errors.reason ? true : undefined}
                aria-describedby={failed?.errors.reason ? "field-reason-error" : undefined}
              />
              {failed?.errors.reason ? (
                <p className="error" id="field-reason-error">
                  {failed.errors.reason}
                </p>
              ) : null}
            </div>
            <button type="submit">Déclarer l'erreur</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
