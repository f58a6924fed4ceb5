/**
 * Factories for the recharge area: a relay with its certified issuer, products, code stock
 * and quota. Built on tests/factories.ts; each call makes fresh, unique data.
 */
import { randomInt } from "node:crypto";
import type { RelayStatus } from "../app/generated/sqlite/client";
import { encryptCode, hashCode } from "../app/modules/recharges/code-crypto.server";
import type { Db, Tx } from "../app/utils/db.server";
import { addDays, createCertificate, createEnrolment, createMembership, createModule, createSession, createStructure, createUser, parisDay } from "./factories";
import { timeOrderedId } from "../app/utils/ids.server";

type Client = Db | Tx;

/** A relay of a new structure; its required module is a new one unless given. */
export async function createRelay(db: Client, overrides: { status?: RelayStatus; requiredModuleId?: string; beneficiaryMonthlyCeilingCents?: number } = {}) {
  const structure = await createStructure(db);
  const requiredModuleId = overrides.requiredModuleId ?? (await createModule(db)).id;
  const relay = await db.relay.create({
    data: {
      structureId: structure.id,
      status: overrides.status ?? "ACTIVE",
      requiredModuleId,
      activatedAt: overrides.status && overrides.status !== "ACTIVE" ? null : new Date(),
      beneficiaryMonthlyCeilingCents: overrides.beneficiaryMonthlyCeilingCents ?? 3000,
    },
  });
  return { relay, structure };
}

/** A member of the relay, certified for its required module unless `certified: false`. */
export async function createRelayMember(db: Client, relay: { structureId: string; requiredModuleId: string }, options: { certified?: boolean; email?: string } = {}) {
  const user = await createUser(db, { email: options.email });
  await createMembership(db, { userId: user.id, structureId: relay.structureId });
  if (options.certified !== false) await certify(db, user.id, relay.requiredModuleId);
  return user;
}

/** A completion certificate of `moduleId` for the user, through a past session they attended. */
export async function certify(db: Client, userId: string, moduleId: string) {
  const session = await createSession(db, { moduleId, startsOn: addDays(parisDay(new Date()), -30), status: "CLOSED", closedAt: new Date() });
  const enrolment = await createEnrolment(db, { sessionId: session.id, userId });
  return createCertificate(db, { enrolmentId: enrolment.id });
}

export async function createRechargeProduct(db: Client, overrides: { name?: string; faceValueCents?: number; lowStockThreshold?: number; minValidityDays?: number } = {}) {
  return db.rechargeProduct.create({
    data: {
      name: overrides.name ?? `Essentielle ${randomInt(1_000_000)}`,
      description: "Appels et SMS illimités 30 jours + 5 Go",
      faceValueCents: overrides.faceValueCents ?? 400,
      solidarityPriceCents: 100,
      validityDays: 30,
      lowStockThreshold: overrides.lowStockThreshold ?? 0,
      minValidityDays: overrides.minValidityDays,
    },
  });
}

export const fakePin = () => String(randomInt(10_000_000, 100_000_000)) + String(randomInt(1_000_000, 10_000_000));

/** `count` codes in stock; expiries spread from `firstExpiryInDays` one day apart. Returns the PINs in expiry order. */
export async function createRechargeCodes(db: Client, productId: string, count: number, firstExpiryInDays = 60): Promise<string[]> {
  const pins = new Set<string>();
  while (pins.size < count) pins.add(fakePin());
  const list = [...pins];
  await db.rechargeCode.createMany({
    data: list.map((pin, i) => ({
      productId,
      codeEncrypted: encryptCode(pin),
      codeHash: hashCode(pin),
      last4: pin.slice(-4),
      expiresAt: new Date(Date.now() + (firstExpiryInDays + i) * 86_400_000),
    })),
  });
  return list;
}

/** One code in stock expiring at `expiresAt` (the first instant it no longer works); returns its PIN. */
export async function createRechargeCodeExpiring(db: Client, productId: string, expiresAt: Date): Promise<string> {
  const pin = fakePin();
  await db.rechargeCode.create({ data: { productId, codeEncrypted: encryptCode(pin), codeHash: hashCode(pin), last4: pin.slice(-4), expiresAt } });
  return pin;
}

/** An allocation as staff make it: the balance row and its ledger row. */
export async function giveQuota(db: Client, input: { relayId: string; productId: string; period: string; units: number; actorId?: string }) {
  await db.quotaBalance.create({ data: { relayId: input.relayId, productId: input.productId, period: input.period, balance: input.units } });
  await db.quotaLedgerEntry.create({
    data: { id: timeOrderedId(), relayId: input.relayId, productId: input.productId, period: input.period, kind: "ALLOCATION", delta: input.units, actorId: input.actorId ?? null },
  });
}
