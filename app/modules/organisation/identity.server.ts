import { db, type Db } from "~/utils/db.server";
import { DEMO_IDENTITY, checkLogo, type LogoType, type OrganisationIdentity, type PrintableLogo } from "./identity.rules";
import type { IdentityInput } from "./identity.schema";

/**
 * The organisation's identity, stored as versions (`OrganisationIdentity` rows, never
 * updated): the newest is current; a certificate keeps the version it was issued under.
 * Until staff save one, documents print the demonstration values (DEMO_IDENTITY).
 */
type Reader = Pick<Db, "organisationIdentity">;

const columns = {
  id: true,
  name: true,
  legalForm: true,
  street: true,
  postalCode: true,
  city: true,
  siret: true,
  nda: true,
  ndaRegion: true,
  email: true,
  phone: true,
  signatoryName: true,
  signatoryTitle: true,
  documentMentions: true,
  logoType: true,
} as const;

type Row = { [K in keyof typeof columns]: K extends "logoType" ? string | null : string };
const toIdentity = (row: Row): OrganisationIdentity => ({ ...row, hasLogo: row.logoType !== null, logoType: row.logoType as LogoType | null });

/** The current identity, read now (documents that keep it, such as certificates, use this). */
export async function readCurrentIdentity(client: Reader = db): Promise<OrganisationIdentity> {
  const row = await client.organisationIdentity.findFirst({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: columns });
  return row ? toIdentity(row) : DEMO_IDENTITY;
}

/** A stored version (a certificate's), or the current one when the document predates versions. */
export async function identityVersion(id: string | null, client: Reader = db): Promise<OrganisationIdentity> {
  if (!id) return readCurrentIdentity(client);
  const row = await client.organisationIdentity.findUnique({ where: { id }, select: columns });
  return row ? toIdentity(row) : readCurrentIdentity(client);
}

// Pages and mails read it often: a few seconds of staleness on another instance is harmless.
const CACHE_MS = 5000;
let cached: { at: number; identity: Promise<OrganisationIdentity> } | undefined;

/**
 * The current identity for page footers, legal pages and mails, cached a few seconds per
 * process. Inside a transaction, pass it: on SQLite's one connection a read outside it would
 * wait for it to end.
 */
export function currentIdentity(client: Reader = db): Promise<OrganisationIdentity> {
  const now = Date.now();
  if (!cached || now - cached.at > CACHE_MS) {
    const identity = readCurrentIdentity(client);
    cached = { at: now, identity };
    identity.catch(() => (cached = undefined));
  }
  return cached.identity;
}

export type SaveIdentityResult = { ok: true; id: string } | { ok: false; errors: Partial<Record<"logo", string>> };

/**
 * Saves a new version. The logo is the uploaded one, or the previous version's when none is
 * sent (unless `removeLogo`). Audited.
 */
export async function saveIdentity(input: { values: IdentityInput; logo?: Uint8Array; removeLogo?: boolean; actorId: string; now?: Date }): Promise<SaveIdentityResult> {
  const { values, actorId, now = new Date() } = input;
  let logo: { bytes: Uint8Array<ArrayBuffer>; type: LogoType } | null = null;
  if (input.logo && input.logo.byteLength > 0) {
    const checked = checkLogo(input.logo);
    if (!checked.ok) return { ok: false, errors: { logo: checked.error } };
    logo = { bytes: new Uint8Array(input.logo), type: checked.type };
  }
  const id = await db.$transaction(async (tx) => {
    if (!logo && !input.removeLogo) {
      const previous = await tx.organisationIdentity.findFirst({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { logo: true, logoType: true } });
      if (previous?.logo && previous.logoType) logo = { bytes: new Uint8Array(previous.logo), type: previous.logoType as LogoType };
    }
    const created = await tx.organisationIdentity.create({
      data: { ...values, logo: logo?.bytes ?? null, logoType: logo?.type ?? null, createdAt: now, createdById: actorId },
      select: { id: true },
    });
    await tx.auditLog.create({ data: { actorId, action: "organisation.identity_changed", entityType: "OrganisationIdentity", entityId: created.id, data: { name: values.name, siret: values.siret, nda: values.nda, logo: logo?.type ?? null }, createdAt: now } });
    return created.id;
  });
  cached = undefined;
  return { ok: true, id };
}

/** A version's logo, for /organisation/logo/:id. */
export async function readLogo(id: string): Promise<{ bytes: Uint8Array; type: LogoType } | null> {
  const row = await db.organisationIdentity.findUnique({ where: { id }, select: { logo: true, logoType: true } });
  return row?.logo && row.logoType ? { bytes: row.logo, type: row.logoType as LogoType } : null;
}

/** The logo documents print for this version: PNG or JPEG only; null otherwise. */
export async function printableLogo(identity: OrganisationIdentity, client: Reader = db): Promise<PrintableLogo | null> {
  if (!identity.id || (identity.logoType !== "image/png" && identity.logoType !== "image/jpeg")) return null;
  const row = await client.organisationIdentity.findUnique({ where: { id: identity.id }, select: { logo: true } });
  return row?.logo ? { bytes: row.logo, type: identity.logoType } : null;
}
