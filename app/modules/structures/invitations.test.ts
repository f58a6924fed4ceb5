/**
 * Structure invitations against a real database: a fresh SQLite file (or, with
 * TEST_DATABASE=postgresql, a fresh PostgreSQL database), migrated like production.
 *
 * Pattern for testing module functions that use the global `db`:
 * `~/utils/db.server` creates its client lazily from DATABASE_URL, and `getEnv()` reads the
 * environment once. So in `beforeAll`: (1) get a fresh URL, (2) apply the migrations,
 * (3) set `process.env.DATABASE_URL`, and only then (4) load the code under test with
 * `await import()`. A static `import` would be hoisted above step 3 and could bind the
 * app's database. Each test file runs in its own process (vitest pool "forks"), so the
 * global client belongs to this file. A second client (`testDb`, from `createDb`) arranges
 * data and checks rows. Every test creates its own structures and people: no order
 * dependency.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { applyPendingMigrations } from "../../../server/schema-engine";
import { testDatabaseUrl } from "../../../tests/support/database";
import type { Db } from "~/utils/db.server";

// Records what is sent to the outbox, and can make the transaction fail right after the
// mail row is written (to prove that the row goes when the transaction rolls back).
const mail = vi.hoisted(() => ({ urls: [] as string[], failAfterWrite: false }));
vi.mock("~/modules/mail/outbox.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/modules/mail/outbox.server")>();
  return {
    ...real,
    enqueueMail: async (...args: Parameters<typeof real.enqueueMail>) => {
      const result = await real.enqueueMail(...args);
      const data = (args[1] as { data?: { url?: unknown } }).data;
      if (typeof data?.url === "string") mail.urls.push(data.url);
      if (mail.failAfterWrite) throw new Error("simulated failure after the mail row was written");
      return result;
    },
  };
});

type Invitations = typeof import("./invitations.server");
let invitations: Invitations;
let hashToken: (token: string) => string;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("invitations");
  await applyPendingMigrations(url);
  process.env.DATABASE_URL = url;
  const { createDb, configureSqlite } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") {
    await configureSqlite(testDb);
    // getDb() starts configuring the global client without waiting; a transaction opened
    // meanwhile makes SQLite refuse the PRAGMAs. Configure it here and wait, once.
    const { db } = await import("~/utils/db.server");
    await configureSqlite(db);
  }
  invitations = await import("./invitations.server");
  ({ hashToken } = await import("~/modules/auth/tokens.server"));
});

afterAll(async () => {
  await testDb?.$disconnect();
  const { db } = await import("~/utils/db.server");
  await db.$disconnect();
});

beforeEach(() => {
  mail.urls.length = 0;
  mail.failAfterWrite = false;
});

const unique = () => randomBytes(4).toString("hex");

async function makeUser(name: string, roles: ("LEARNER" | "TRAINER" | "ADMIN")[] = ["LEARNER"]) {
  const email = `${name.toLowerCase().normalize("NFD").replace(/[^a-z]+/g, ".")}.${unique()}@exemple.fr`;
  return testDb.user.create({
    data: { name, email, emailVerifiedAt: new Date(), roles: { create: roles.map((role) => ({ role })) } },
  });
}

async function makeStructure(name = "CCAS de Saint-Étienne-du-Rouvray") {
  return testDb.structure.create({ data: { name: `${name} ${unique()}`, type: "CCAS" } });
}

async function join(userId: string, structureId: string, role: "MEMBER" | "REFERENT") {
  await testDb.membership.create({ data: { userId, structureId, role } });
}

/** The acting user as the session would build it, from the database. */
async function actorFor(userId: string) {
  const user = await testDb.user.findUniqueOrThrow({
    where: { id: userId },
    include: { roles: true, memberships: { include: { structure: { include: { relay: true } } } } },
  });
  return {
    id: user.id,
    name: user.name,
    roles: user.roles.map((r) => r.role),
    memberships: user.memberships.map((m) => ({ structureId: m.structureId, role: m.role, relayStatus: m.structure.relay?.status ?? null })),
  };
}

const tokenFrom = (url: string | undefined) => new URL(url ?? "").searchParams.get("token") ?? "";

/** A structure with its referent, and a token inviting `inviteeEmail`. */
async function invitedTo(inviteeEmail: string, role: "MEMBER" | "REFERENT" = "MEMBER", now = new Date()) {
  const structure = await makeStructure();
  const referent = await makeUser("Aïcha Benali");
  await join(referent.id, structure.id, "REFERENT");
  const result = await invitations.inviteColleague({ actor: await actorFor(referent.id), structureId: structure.id, email: inviteeEmail, role, now });
  expect(result.ok).toBe(true);
  return { structure, referent, token: tokenFrom(mail.urls.at(-1)) };
}

describe("inviteColleague", () => {
  it("lets a referent invite: hashed token, 7-day expiry, lower-cased address, mail and audit rows", async () => {
    const structure = await makeStructure();
    const referent = await makeUser("Jean-Baptiste Lefèvre");
    await join(referent.id, structure.id, "REFERENT");
    const now = new Date("2026-03-02T09:00:00Z");

    const result = await invitations.inviteColleague({
      actor: await actorFor(referent.id),
      structureId: structure.id,
      email: "  Camille.Durand@Exemple.FR ",
      role: "MEMBER",
      now,
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const invitation = await testDb.invitation.findUniqueOrThrow({ where: { id: result.invitationId } });
    expect(invitation.email).toBe("camille.durand@exemple.fr");
    expect(invitation.expiresAt.getTime() - now.getTime()).toBe(7 * 24 * 3600_000);
    expect(mail.urls).toHaveLength(1);
    const token = tokenFrom(mail.urls[0]);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invitation.tokenHash).toBe(hashToken(token));
    expect(invitation.tokenHash).not.toContain(token);

    const outbox = await testDb.outboxMail.findMany({ where: { to: "camille.durand@exemple.fr" } });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.template).toBe("invitation");

    const audit = await testDb.auditLog.findMany({ where: { entityType: "Invitation", entityId: invitation.id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["structure.invitation_sent", referent.id]]);
  });

  it.each([
    ["a member (not referent) of the structure", "MEMBER-A"],
    ["the referent of another structure", "REFERENT-B"],
    ["a person with no structure", "NONE"],
  ])("refuses %s, and writes nothing", async (_who, kind) => {
    const structureA = await makeStructure();
    const structureB = await makeStructure("Centre d'hébergement Les Tilleuls");
    const actor = await makeUser("Zoé Martin");
    if (kind === "MEMBER-A") await join(actor.id, structureA.id, "MEMBER");
    if (kind === "REFERENT-B") await join(actor.id, structureB.id, "REFERENT");
    const email = `refused.${unique()}@exemple.fr`;

    const result = await invitations.inviteColleague({ actor: await actorFor(actor.id), structureId: structureA.id, email, role: "MEMBER" });

    expect(result).toMatchObject({ ok: false, field: "form" });
    expect(await testDb.invitation.count({ where: { email } })).toBe(0);
    expect(await testDb.outboxMail.count({ where: { to: email } })).toBe(0);
  });

  it("lets an admin invite into any structure", async () => {
    const structure = await makeStructure();
    const admin = await makeUser("Nguyễn Thị Lan", ["ADMIN"]);
    const result = await invitations.inviteColleague({
      actor: await actorFor(admin.id),
      structureId: structure.id,
      email: `admin.invite.${unique()}@exemple.fr`,
      role: "REFERENT",
    });
    expect(result.ok).toBe(true);
  });

  it("writes the mail in the same transaction: if the transaction fails, neither the invitation nor the mail remains", async () => {
    const structure = await makeStructure();
    const referent = await makeUser("Émilie Rousseau");
    await join(referent.id, structure.id, "REFERENT");
    const email = `rollback.${unique()}@exemple.fr`;
    mail.failAfterWrite = true;

    await expect(
      invitations.inviteColleague({ actor: await actorFor(referent.id), structureId: structure.id, email, role: "MEMBER" }),
    ).rejects.toThrow(/simulated failure/);

    expect(await testDb.invitation.count({ where: { email } })).toBe(0);
    expect(await testDb.outboxMail.count({ where: { to: email } })).toBe(0);
    expect(await testDb.auditLog.count({ where: { actorId: referent.id } })).toBe(0);
  });

  it("refuses to invite someone who is already a member", async () => {
    const structure = await makeStructure();
    const referent = await makeUser("Karim Haddad");
    const colleague = await makeUser("Sophie Lemaître");
    await join(referent.id, structure.id, "REFERENT");
    await join(colleague.id, structure.id, "MEMBER");

    const result = await invitations.inviteColleague({
      actor: await actorFor(referent.id),
      structureId: structure.id,
      email: colleague.email.toUpperCase(),
      role: "MEMBER",
    });

    expect(result).toMatchObject({ ok: false, field: "email" });
    expect(await testDb.outboxMail.count({ where: { to: colleague.email } })).toBe(0);
  });

  it("inviting the same address again keeps only the newest link working", async () => {
    const invitee = await makeUser("Léa Fontaine");
    const { structure, referent, token: first } = await invitedTo(invitee.email);
    await invitations.inviteColleague({ actor: await actorFor(referent.id), structureId: structure.id, email: invitee.email, role: "MEMBER" });
    const second = tokenFrom(mail.urls.at(-1));

    expect(await invitations.acceptInvitation({ token: first, user: invitee })).toEqual({ ok: false, reason: "expired" });
    expect(await invitations.acceptInvitation({ token: second, user: invitee })).toMatchObject({ ok: true });
    expect(await invitations.listPendingInvitations(structure.id)).toEqual([]);
  });
});

describe("acceptInvitation", () => {
  it("makes the invited person a member, with the invited role, and logs it", async () => {
    const invitee = await makeUser("Mathilde Garnier");
    const { structure, token } = await invitedTo(invitee.email, "REFERENT");

    const view = await invitations.getInvitation(token);
    expect(view).toMatchObject({ structureId: structure.id, structureName: structure.name, inviterName: "Aïcha Benali", state: "pending" });

    const result = await invitations.acceptInvitation({ token, user: invitee });

    expect(result).toEqual({ ok: true, structureId: structure.id, structureName: structure.name, relayChanges: [] });
    const membership = await testDb.membership.findUniqueOrThrow({ where: { userId_structureId: { userId: invitee.id, structureId: structure.id } } });
    expect(membership.role).toBe("REFERENT");
    expect(await testDb.auditLog.count({ where: { actorId: invitee.id, action: "structure.invitation_accepted" } })).toBe(1);
    expect((await invitations.getInvitation(token))?.state).toBe("accepted");
  });

  it("refuses a logged-in person whose e-mail differs from the invited one", async () => {
    const invitee = await makeUser("Paul Morel");
    const someoneElse = await makeUser("Hugo Morel");
    const { structure, token } = await invitedTo(invitee.email);

    expect(await invitations.acceptInvitation({ token, user: someoneElse })).toEqual({ ok: false, reason: "wrong_email" });
    expect(await testDb.membership.count({ where: { userId: someoneElse.id, structureId: structure.id } })).toBe(0);
    // The link is not spent: the right person can still use it.
    expect(await invitations.acceptInvitation({ token, user: invitee })).toMatchObject({ ok: true });
  });

  it("matches the e-mail whatever its case", async () => {
    const invitee = await makeUser("Inès Caron");
    const { token } = await invitedTo(invitee.email.toUpperCase());
    expect(await invitations.acceptInvitation({ token, user: { id: invitee.id, email: invitee.email.toUpperCase() } })).toMatchObject({ ok: true });
  });

  it("is single use, even for two clicks at the same time", async () => {
    const invitee = await makeUser("Bruno Lambert");
    const { structure, token } = await invitedTo(invitee.email);

    const results = await Promise.all([
      invitations.acceptInvitation({ token, user: invitee }),
      invitations.acceptInvitation({ token, user: invitee }),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: "already_used" });
    expect(await invitations.acceptInvitation({ token, user: invitee })).toEqual({ ok: false, reason: "already_used" });
    expect(await testDb.membership.count({ where: { userId: invitee.id, structureId: structure.id } })).toBe(1);
    expect(await testDb.auditLog.count({ where: { actorId: invitee.id, action: "structure.invitation_accepted" } })).toBe(1);
  });

  it("refuses an expired invitation", async () => {
    const invitee = await makeUser("Nadia Perrin");
    const sentAt = new Date("2026-01-05T10:00:00Z");
    const { structure, token } = await invitedTo(invitee.email, "MEMBER", sentAt);
    const eightDaysLater = new Date(sentAt.getTime() + 8 * 24 * 3600_000);

    expect((await invitations.getInvitation(token, eightDaysLater))?.state).toBe("expired");
    expect(await invitations.acceptInvitation({ token, user: invitee, now: eightDaysLater })).toEqual({ ok: false, reason: "expired" });
    expect(await testDb.membership.count({ where: { userId: invitee.id, structureId: structure.id } })).toBe(0);
  });

  it.each([["not-a-token"], ["A".repeat(43)], [""], ["x".repeat(100_000)]])("refuses an unknown or malformed token (%#)", async (token) => {
    const user = await makeUser("Yasmine Bouzid");
    expect(await invitations.acceptInvitation({ token, user })).toEqual({ ok: false, reason: "invalid" });
    expect(await invitations.getInvitation(token)).toBeNull();
  });

  it("never lowers a referent to member", async () => {
    const invitee = await makeUser("Gaëlle Simon");
    const { structure, token } = await invitedTo(invitee.email, "MEMBER");
    await join(invitee.id, structure.id, "REFERENT");
    expect(await invitations.acceptInvitation({ token, user: invitee })).toMatchObject({ ok: true });
    const membership = await testDb.membership.findUniqueOrThrow({ where: { userId_structureId: { userId: invitee.id, structureId: structure.id } } });
    expect(membership.role).toBe("REFERENT");
  });
});

describe("members", () => {
  it("lists referents first, then by name", async () => {
    const structure = await makeStructure();
    const zoe = await makeUser("Zoé Adam");
    const elodie = await makeUser("Élodie Bernard");
    const ali = await makeUser("Ali Yilmaz");
    await join(zoe.id, structure.id, "MEMBER");
    await join(elodie.id, structure.id, "MEMBER");
    await join(ali.id, structure.id, "REFERENT");

    const members = await invitations.listStructureMembers(structure.id);

    expect(members.map((m) => [m.name, m.role])).toEqual([
      ["Ali Yilmaz", "REFERENT"],
      ["Élodie Bernard", "MEMBER"],
      ["Zoé Adam", "MEMBER"],
    ]);
  });

  it("lets a referent remove a member, but never the last referent", async () => {
    const structure = await makeStructure();
    const referent = await makeUser("Thomas Girard");
    const member = await makeUser("Julie Chevalier");
    await join(referent.id, structure.id, "REFERENT");
    await join(member.id, structure.id, "MEMBER");
    const actor = await actorFor(referent.id);

    expect(await invitations.removeMember({ actor, structureId: structure.id, userId: member.id })).toEqual({ ok: true, relayChanges: [] });
    const lastReferent = await invitations.removeMember({ actor, structureId: structure.id, userId: referent.id });
    expect(lastReferent.ok).toBe(false);
    expect(await testDb.membership.count({ where: { structureId: structure.id } })).toBe(1);
  });

  it("does not let a plain member remove anyone", async () => {
    const structure = await makeStructure();
    const referent = await makeUser("Claire Dupuis");
    const member = await makeUser("Marc Renaud");
    await join(referent.id, structure.id, "REFERENT");
    await join(member.id, structure.id, "MEMBER");

    const result = await invitations.removeMember({ actor: await actorFor(member.id), structureId: structure.id, userId: referent.id });

    expect(result.ok).toBe(false);
    expect(await testDb.membership.count({ where: { structureId: structure.id } })).toBe(2);
  });
});
