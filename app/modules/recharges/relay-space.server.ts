import { db } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";
import { issuerRefusal } from "./issuing.server";
import { ISSUING_REFUSAL_MESSAGES } from "./issuing.rules";

/** What a relay member sees on /espace-relais/recharges: their relay, its month, and whether they may issue. */

export type RelayRef = { relayId: string; structureId: string; structureName: string };

/** The relay the person belongs to (the first, if several), or null. */
export async function findMemberRelay(userId: string): Promise<RelayRef | null> {
  const membership = await db.membership.findFirst({
    where: { userId, structure: { relay: { isNot: null } } },
    orderBy: { createdAt: "asc" },
    select: { structure: { select: { id: true, name: true, relay: { select: { id: true } } } } },
  });
  const relay = membership?.structure.relay;
  return relay ? { relayId: relay.id, structureId: membership.structure.id, structureName: membership.structure.name } : null;
}

export type ProductMonth = { productId: string; name: string; description: string; faceValueCents: number; remaining: number; issued: number };

/** Per product: what is left of this month's quota and how many were issued (declared mistakes included, as they spent a code). */
export async function relayMonth(relayId: string, period: string): Promise<ProductMonth[]> {
  const [products, balances, issued] = await Promise.all([
    db.rechargeProduct.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, name: true, description: true, faceValueCents: true } }),
    db.quotaBalance.findMany({ where: { relayId, period }, select: { productId: true, balance: true } }),
    db.rechargeIssue.groupBy({ by: ["productId"], where: { relayId, period }, _count: { _all: true } }),
  ]);
  return products.map((p) => ({
    productId: p.id,
    name: p.name,
    description: p.description,
    faceValueCents: p.faceValueCents,
    remaining: balances.find((b) => b.productId === p.id)?.balance ?? 0,
    issued: issued.find((i) => i.productId === p.id)?._count._all ?? 0,
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

export async function relaySpace(userId: string, now = new Date()) {
  const relay = await findMemberRelay(userId);
  if (!relay) return null;
  const period = parisMonthKey(now);
  const refusal = await issuerRefusal(relay.relayId, userId, now);
  const [month, journal] = await Promise.all([relayMonth(relay.relayId, period), relayJournal(relay.relayId, period)]);
  return { relay, period, refusal: refusal ? ISSUING_REFUSAL_MESSAGES[refusal] : null, month, journal };
}
