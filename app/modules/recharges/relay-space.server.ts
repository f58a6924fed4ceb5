import { redirect } from "@remix-run/node";
import { forbidden } from "~/modules/auth/require.server";
import { keepSessionAlive, loginRedirect, sessionTokenHash } from "~/modules/auth/session.server";
import { db } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";
import { issuerRefusal } from "./issuing.server";
import { ISSUING_REFUSAL_MESSAGES } from "./issuing.rules";
import { issuableAfter } from "./stock.rules";

/** What a relay member sees on /espace-relais/recharges: their relay, its month, and whether they may issue. */

export type RelayRef = { relayId: string; structureId: string; structureName: string };

/** The relay one acts for: the one chosen in the relay space (per login), or one's only relay. */
export function actingRelay(relays: readonly RelayRef[], actingStructureId: string | null): RelayRef | null {
  return relays.find((r) => r.structureId === actingStructureId) ?? (relays.length === 1 ? relays[0]! : null);
}

type SessionRelayRow = {
  sessionId: string;
  userId: string;
  actingStructureId: string | null;
  expiresAt: Date;
  lastSeenAt: Date;
  relayId: string | null;
  structureId: string | null;
  structureName: string | null;
};

/**
 * For the recharge pages: the signed-in person and the relay they act for. Someone in no relay
 * is refused; someone in several who has not chosen yet is sent to choose in the relay space.
 * The session and the person's relays are read in one query: this runs on every issue.
 */
export async function requireActingRelay(request: Request, now = new Date()): Promise<{ userId: string; relay: RelayRef }> {
  const tokenHash = await sessionTokenHash(request);
  const rows = tokenHash
    ? await db.$queryRaw<SessionRelayRow[]>`
        SELECT s."id" AS "sessionId", s."userId", s."actingStructureId", s."expiresAt", s."lastSeenAt",
               r."id" AS "relayId", st."id" AS "structureId", st."name" AS "structureName"
        FROM "AuthSession" s
        LEFT JOIN "Membership" m ON m."userId" = s."userId"
        LEFT JOIN "Relay" r ON r."structureId" = m."structureId"
        LEFT JOIN "Structure" st ON st."id" = r."structureId"
        WHERE s."tokenHash" = ${tokenHash}
        ORDER BY m."createdAt", m."id"`
    : [];
  const session = rows[0];
  if (!session || !(await keepSessionAlive({ id: session.sessionId, expiresAt: session.expiresAt, lastSeenAt: session.lastSeenAt }, now))) throw loginRedirect(request);
  const relays = rows.flatMap((r) => (r.relayId && r.structureId ? [{ relayId: r.relayId, structureId: r.structureId, structureName: r.structureName ?? "" }] : []));
  if (relays.length === 0) throw forbidden("Cette page est réservée aux membres d'un Relais Numérique.");
  const relay = actingRelay(relays, session.actingStructureId);
  if (!relay) throw redirect("/espace-relais");
  return { userId: session.userId, relay };
}

export type ProductMonth = {
  productId: string;
  name: string;
  description: string;
  faceValueCents: number;
  remaining: number;
  issued: number;
  minValidityDays: number;
  /** The expiry of the code issuing would give now (the earliest issuable); null when none is left. */
  nextCodeExpiresAt: Date | null;
};

/** Per product: what is left of this month's quota and how many were issued (declared mistakes included, as they spent a code). */
export async function relayMonth(relayId: string, period: string, now = new Date()): Promise<ProductMonth[]> {
  const [products, balances, issued] = await Promise.all([
    db.rechargeProduct.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, name: true, description: true, faceValueCents: true, minValidityDays: true } }),
    db.quotaBalance.findMany({ where: { relayId, period }, select: { productId: true, balance: true } }),
    db.rechargeIssue.groupBy({ by: ["productId"], where: { relayId, period }, _count: { _all: true } }),
  ]);
  // One index seek per product, on the claim's own index (productId, issuedAt, expiresAt).
  const nextCodes = await Promise.all(
    products.map((p) =>
      db.rechargeCode.findFirst({
        where: { productId: p.id, issuedAt: null, expiresAt: { gt: issuableAfter(now, p.minValidityDays) } },
        orderBy: { expiresAt: "asc" },
        select: { expiresAt: true },
      }),
    ),
  );
  return products.map((p, i) => ({
    productId: p.id,
    name: p.name,
    description: p.description,
    faceValueCents: p.faceValueCents,
    remaining: balances.find((b) => b.productId === p.id)?.balance ?? 0,
    issued: issued.find((i) => i.productId === p.id)?._count._all ?? 0,
    minValidityDays: p.minValidityDays,
    nextCodeExpiresAt: nextCodes[i]?.expiresAt ?? null,
  }));
}

export type JournalRow = { id: string; issuedAt: Date; productName: string; staffName: string; last4: string; mistake: boolean };

/** The month's issues, without personal data about beneficiaries. */
export async function relayJournal(relayId: string, period: string): Promise<JournalRow[]> {
  const rows = await db.rechargeIssue.findMany({
    where: { relayId, period },
    orderBy: { issuedAt: "desc" },
    take: 200,
    select: { id: true, issuedAt: true, mistakeDeclaredAt: true, product: { select: { name: true } }, staff: { select: { name: true } }, code: { select: { last4: true } } },
  });
  return rows.map((r) => ({ id: r.id, issuedAt: r.issuedAt, productName: r.product.name, staffName: r.staff.name, last4: r.code.last4, mistake: !!r.mistakeDeclaredAt }));
}

export async function relaySpace(relay: RelayRef, userId: string, now = new Date()) {
  const period = parisMonthKey(now);
  const [refusal, month, journal] = await Promise.all([issuerRefusal(relay.relayId, userId, now), relayMonth(relay.relayId, period, now), relayJournal(relay.relayId, period)]);
  return { relay, period, refusal: refusal ? ISSUING_REFUSAL_MESSAGES[refusal] : null, month, journal };
}
