import type { Actor } from "~/modules/auth/permissions.rules";
import { db } from "~/utils/db.server";
import { renderQuotePdf } from "./quote-pdf.server";
import { currentIdentity } from "~/modules/organisation/identity.server";
import { buildQuote, canViewQuote, hasQuote, quoteFileName, type Quote } from "./quote.rules";

export type QuoteResult =
  | { ok: true; quote: Quote; pdf: Uint8Array; fileName: string }
  | { ok: false; status: 403 | 404; message: string };

/**
 * An enrolment's quote as a PDF, for someone allowed to read it (`canViewQuote`). Nothing
 * is stored: the number is derived from the enrolment, the date is the day of download.
 */
export async function getQuotePdf(input: { actor: Actor; enrolmentId: string; now?: Date }): Promise<QuoteResult> {
  const now = input.now ?? new Date();
  const enrolment = await db.enrolment.findUnique({
    where: { id: input.enrolmentId },
    include: {
      user: { select: { name: true, email: true, jobTitle: true } },
      structure: { select: { name: true, address: true, postcode: true, city: true, siret: true } },
      session: {
        include: {
          module: { select: { title: true, durationMinutes: true } },
          trainer: { select: { name: true } },
          slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
        },
      },
    },
  });
  if (!enrolment) return { ok: false, status: 404, message: "Cette inscription n'existe pas." };
  if (!canViewQuote(input.actor, enrolment)) return { ok: false, status: 403, message: "Vous n'avez pas accès à ce devis." };
  if (!hasQuote(enrolment)) return { ok: false, status: 404, message: "Aucun devis pour cette inscription (financement par carte, gratuite ou annulée)." };
  const { session } = enrolment;
  const quote = buildQuote(
    {
      enrolment,
      learner: enrolment.user,
      structure: enrolment.structure,
      session: { ...session, trainerName: session.trainer?.name ?? null },
      module: session.module,
    },
    now,
  );
  return { ok: true, quote, pdf: await renderQuotePdf(quote, now, await currentIdentity()), fileName: quoteFileName(quote) };
}
