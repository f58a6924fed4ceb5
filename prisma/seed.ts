/**
 * Demo data: the real catalogue (three modules with their full programme information),
 * past and upcoming sessions, a few structures, an active Relais Numérique with a
 * certified member, recharge products with a small code stock and this month's quota.
 *
 * `npm run db:seed` migrates `DATABASE_URL` and loads it; the server does the same on a
 * fresh embedded database. Dates are relative to now, so the demo never goes stale.
 */
import { DEMO_IDENTITY } from "../app/modules/organisation/identity.rules";
import { randomInt } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Role } from "../app/generated/sqlite/client";
import { plannedMinutes } from "../app/modules/attendance/attendance.rules";
import { issueCertificate } from "../app/modules/certificates/issue.server";
import { encryptCode, hashCode } from "../app/modules/recharges/code-crypto.server";
import { configureSqlite, createDb, type Db, type Tx } from "../app/utils/db.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { getEnv } from "../app/utils/env.server";
import { isProduction } from "../app/utils/production.rules";
import { applyPendingMigrations } from "../server/schema-engine";
import { timeOrderedId } from "../app/utils/ids.server";
import { DEMO_INTERNAL_RULES } from "./demo-internal-rules";
import {
  addDays,
  createMembership,
  createModule,
  createSession,
  createStructure,
  createUser,
  enrolmentData,
  halfDaySlots,
  parisDay,
  passwordHashFor,
  recountSeats,
  trainingDays,
  VENUES,
  type ModuleOverrides,
} from "./builders";

export const DEMO_PASSWORD = "Maillon-demo-2026!";
export const DEMO_ADMIN_EMAIL = "admin@maillon.localhost";

type Person = { email: string; name: string; jobTitle: string; roles: Role[]; label?: string };

/** Everyone in the demo. Those with a `label` are listed at start-up. */
const PEOPLE = {
  admin: {
    email: DEMO_ADMIN_EMAIL,
    name: "Claire Dubois-Marchand",
    jobTitle: "Responsable du pôle formation",
    roles: ["ADMIN"],
    label: "Administratrice (salariée de l'association)",
  },
  trainer: {
    email: "formatrice@maillon.localhost",
    name: "Amélie Rousseau",
    jobTitle: "Formatrice en inclusion numérique",
    roles: ["TRAINER"],
    label: "Formatrice",
  },
  referent: {
    email: "referente@maillon.localhost",
    name: "Sophie Garnier-Lemaître",
    jobTitle: "Responsable du pôle action sociale",
    roles: ["LEARNER"],
    label: "Référente du relais (CCAS de Lyon)",
  },
  certified: {
    email: "minh-khai.nguyen@maillon.localhost",
    name: "Nguyễn Thị Minh Khai",
    jobTitle: "Conseillère en économie sociale et familiale",
    roles: ["LEARNER"],
    label: "Salariée certifiée du relais (délivre les recharges)",
  },
  learner: {
    email: "stagiaire@maillon.localhost",
    name: "Jean-Éric Lefèvre-Saint-Aubin",
    jobTitle: "Éducateur spécialisé",
    roles: ["LEARNER"],
    label: "Stagiaire (CHRS de Lille)",
  },
  lucja: { email: "lucja.wisniewska@maillon.localhost", name: "Łucja Wiśniewska", jobTitle: "Assistante de service social", roles: ["LEARNER"] },
  olga: { email: "olga.smirnova@maillon.localhost", name: "Ольга Смирнова", jobTitle: "Travailleuse sociale", roles: ["LEARNER"] },
  fatima: { email: "fatima-zahra@maillon.localhost", name: "فاطمة الزهراء", jobTitle: "Médiatrice sociale", roles: ["LEARNER"] },
  wang: { email: "wang.xiuying@maillon.localhost", name: "王秀英", jobTitle: "Conseillère en insertion professionnelle", roles: ["LEARNER"] },
  thomas: { email: "thomas.ndiaye@maillon.localhost", name: "Thomas N'Diaye", jobTitle: "Agent d'accueil France Services", roles: ["LEARNER"] },
  marieHelene: { email: "marie-helene.ducrocq@maillon.localhost", name: "Marie-Hélène Ducrocq", jobTitle: "Conseillère numérique", roles: ["LEARNER"] },
  maelys: { email: "maelys.le-goff@maillon.localhost", name: "Maëlys Le Goff", jobTitle: "Animatrice socioculturelle", roles: ["LEARNER"] },
  anneLaure: {
    email: "anne-laure.de-la-tour@maillon.localhost",
    name: "Anne-Laure de La Tour d'Auvergne-Lauraguais",
    jobTitle: "Chargée de mission insertion",
    roles: ["LEARNER"],
  },
} satisfies Record<string, Person>;

/** The accounts worth trying first, in the order they are printed. */
export const DEMO_ACCOUNTS: { email: string; label: string }[] = Object.values(PEOPLE).flatMap((p: Person) =>
  p.label ? [{ email: p.email, label: p.label }] : [],
);

const CONTACT = "Pôle formation — formation@maillon.localhost — 01 99 00 12 34 (du lundi au vendredi, 9 h – 17 h)";
const ACCESSIBILITY =
  "Nos formations sont accessibles aux personnes en situation de handicap. Notre référente handicap (accessibilite@maillon.localhost) étudie avec vous, avant l'inscription, les adaptations utiles : supports en gros caractères ou numériques, boucle magnétique, rythme et pauses, accompagnement par une tierce personne. Les salles des points d'accueil sont de plain-pied ou desservies par un ascenseur.";

const MODULES: (ModuleOverrides & { number: number; title: string })[] = [
  {
    number: 1,
    slug: "sensibilisation-inclusion-numerique",
    title: "Sensibilisation et compréhension de l'inclusion numérique",
    summary:
      "Une journée pour comprendre ce qu'est l'exclusion numérique, repérer les personnes qui en souffrent et savoir vers qui les orienter. C'est le module exigé pour devenir Relais Numérique.",
    objectives: [
      "Définir l'exclusion numérique et en citer les principales causes (équipement, connexion, compétences, confiance)",
      "Repérer, au cours d'un entretien, les signes qu'une personne est en difficulté avec le numérique",
      "Évaluer le niveau d'autonomie numérique d'une personne à l'aide d'une grille de diagnostic",
      "Orienter une personne vers la ressource d'accompagnement adaptée sur son territoire",
      "Expliquer les règles à respecter quand on réalise une démarche en ligne pour le compte d'une personne (mandat, données personnelles)",
    ].join("\n"),
    programme: [
      "Accueil, tour de table et questionnaire de positionnement",
      "Les chiffres et les visages de l'exclusion numérique en France",
      "La dématérialisation des démarches administratives et ses effets sur les publics accompagnés",
      "Repérer les difficultés : études de cas tirés de situations réelles",
      "Le diagnostic des compétences numériques : prise en main d'une grille",
      "Les acteurs de l'inclusion numérique du territoire et l'orientation",
      "Faire « à la place de » : mandat, Aidants Connect et protection des données",
      "Évaluation des acquis et bilan de la journée",
    ].join("\n"),
    durationMinutes: 7 * 60,
    prerequisites: "Aucun prérequis technique. Exercer, ou se préparer à exercer, une mission d'accueil ou d'accompagnement social.",
    audience:
      "Travailleurs sociaux, conseillères et conseillers en insertion, agents d'accueil des CCAS, des espaces départementaux des solidarités, des France Services, des structures d'hébergement et des associations.",
    methods:
      "Apports courts, études de cas, jeux de rôle et travail en sous-groupes. Groupes de 6 à 12 personnes. Support de formation remis à chaque stagiaire. Animée par une formatrice ou un formateur spécialiste de l'accompagnement numérique.",
    assessment:
      "Questionnaire de positionnement en début de journée ; quiz et mise en situation en fin de journée pour vérifier l'atteinte de chaque objectif. Questionnaire de satisfaction à chaud, puis à froid trois mois après. Certificat de réalisation remis à l'issue de la formation.",
    accessLeadTime:
      "Inscription en ligne jusqu'à 7 jours avant la session, réponse sous 2 jours ouvrés. Session intra pour votre structure : à programmer au moins 6 semaines à l'avance.",
    priceCents: 25_000,
    accessibility: ACCESSIBILITY,
    contact: CONTACT,
    certificateValidityMonths: 36,
    nsfCode: "332",
  },
  {
    number: 2,
    slug: "pratiques-accompagnement-numerique",
    title: "Pratiques d'accompagnement vers le numérique",
    summary:
      "Deux jours de pratique pour accompagner une personne dans ses démarches en ligne sans faire à sa place, et construire avec elle un parcours vers l'autonomie.",
    objectives: [
      "Conduire un diagnostic des compétences numériques avec une personne accompagnée",
      "Accompagner une démarche en ligne en laissant la personne faire elle-même (posture du « faire avec »)",
      "Créer avec une personne une adresse e-mail et un accès FranceConnect sécurisés",
      "Aider une personne à protéger ses données et à reconnaître une tentative d'hameçonnage",
      "Construire un parcours d'autonomie numérique en plusieurs étapes et en suivre la progression",
    ].join("\n"),
    programme: [
      "Jour 1 — Retour sur les pratiques de chacun et sur les situations rencontrées",
      "Jour 1 — Le diagnostic des compétences : conduite de l'entretien, mises en situation",
      "Jour 1 — La posture d'accompagnement : faire avec, et non à la place",
      "Jour 1 — Atelier pratique : adresse e-mail, coffre-fort numérique, FranceConnect",
      "Jour 2 — Les démarches essentielles : CAF, France Travail, Assurance maladie, impôts",
      "Jour 2 — Sécurité : mots de passe, arnaques, données personnelles",
      "Jour 2 — Construire un parcours d'autonomie et passer le relais",
      "Jour 2 — Évaluation des acquis et bilan",
    ].join("\n"),
    durationMinutes: 14 * 60,
    prerequisites:
      "Avoir suivi le module 1 « Sensibilisation et compréhension de l'inclusion numérique » ou justifier d'une expérience équivalente. Savoir utiliser un smartphone et une messagerie électronique.",
    audience: "Professionnels de l'action sociale qui accompagnent des personnes dans leurs démarches en ligne, au quotidien ou lors de permanences.",
    methods:
      "Pédagogie active : mises en situation sur ordinateurs et smartphones fournis, comptes de démonstration des principaux services publics, échanges de pratiques. Groupes de 6 à 12 personnes. Fiches pratiques remises à chaque stagiaire.",
    assessment:
      "Positionnement en début de formation ; mise en situation évaluée à la fin de chaque journée ; quiz final. Questionnaires de satisfaction à chaud et à froid. Certificat de réalisation et attestation de fin de formation.",
    accessLeadTime:
      "Inscription en ligne jusqu'à 10 jours avant la session, réponse sous 2 jours ouvrés. Session intra : à programmer au moins 6 semaines à l'avance.",
    priceCents: 48_000,
    accessibility: ACCESSIBILITY,
    contact: CONTACT,
    certificateValidityMonths: null,
    nsfCode: "332",
  },
  {
    number: 3,
    slug: "transmission-ateliers-cle-en-main",
    title: "Transmission d'ateliers clé en main",
    summary:
      "Une journée pour animer, dans votre structure, des ateliers collectifs d'initiation au numérique à partir de déroulés prêts à l'emploi.",
    objectives: [
      "Animer un atelier collectif d'initiation au numérique à partir d'un déroulé fourni",
      "Adapter le rythme et les supports d'un atelier à un groupe hétérogène",
      "Préparer la salle et le matériel d'un atelier (équipements, connexion, accessibilité)",
      "Évaluer les acquis des participants à la fin d'un atelier",
    ].join("\n"),
    programme: [
      "Présentation de la mallette d'ateliers : six thèmes, déroulés et supports",
      "Les ressorts de l'animation de groupe avec des publics éloignés du numérique",
      "Préparer un atelier : salle, matériel, connexion, inscriptions",
      "Mise en situation : chaque stagiaire anime une séquence devant le groupe",
      "Retours croisés et adaptation des déroulés à sa structure",
      "Évaluer un atelier et rendre compte de son activité",
    ].join("\n"),
    durationMinutes: 7 * 60,
    prerequisites: "Avoir suivi les modules 1 et 2, ou justifier d'une pratique régulière de l'accompagnement numérique.",
    audience: "Professionnels et bénévoles de structures sociales appelés à animer des ateliers collectifs, notamment dans les Relais Numériques.",
    methods:
      "Démonstrations, mises en situation d'animation filmées (avec accord) puis débriefées, travail sur les supports. Mallette d'ateliers remise en version numérique. Groupes de 4 à 10 personnes.",
    assessment:
      "Animation d'une séquence évaluée à l'aide d'une grille partagée ; auto-évaluation. Questionnaires de satisfaction à chaud et à froid. Certificat de réalisation remis à l'issue de la formation.",
    accessLeadTime: "Inscription en ligne jusqu'à 7 jours avant la session, réponse sous 2 jours ouvrés.",
    priceCents: 25_000,
    accessibility: ACCESSIBILITY,
    contact: CONTACT,
    certificateValidityMonths: null,
    nsfCode: "332",
  },
];

const PRODUCTS = [
  {
    name: "Essentielle",
    description: "Appels et SMS illimités pendant 30 jours + 5 Go d'internet mobile",
    faceValueCents: 400,
    solidarityPriceCents: 100,
    validityDays: 30,
    monthlyQuota: 20,
  },
  {
    name: "Internet",
    description: "8 Go d'internet mobile valables 30 jours",
    faceValueCents: 200,
    solidarityPriceCents: 50,
    validityDays: 30,
    monthlyQuota: 10,
  },
] as const;

const CODES_PER_PRODUCT = 15;

const addMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);
function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}
const currentPeriod = (now: Date) => {
  const { year, month } = parisDay(now);
  return `${year}-${String(month).padStart(2, "0")}`;
};

/** Loads the demo data in one transaction; does nothing when the demo admin already exists. */
export async function seedDemoData(db: Db): Promise<void> {
  if (await db.user.findUnique({ where: { email: DEMO_ADMIN_EMAIL }, select: { id: true } })) return;
  // Hashed once, outside the transaction: scrypt is slow on purpose.
  await passwordHashFor(DEMO_PASSWORD);
  await db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: DEMO_ADMIN_EMAIL }, select: { id: true } })) return;
    await seedInTransaction(tx, new Date());
  }, { timeout: 60_000, maxWait: 10_000 });
}

async function seedInTransaction(tx: Tx, now: Date) {
  const today = parisDay(now);

  // The organisation's identity: the demo's values, as staff would have saved them.
  const { id: _none, hasLogo: _noLogo, logoType: _noType, ...identity } = DEMO_IDENTITY;
  await tx.organisationIdentity.create({ data: { ...identity, createdAt: now } });

  // People
  const users = {} as Record<keyof typeof PEOPLE, { id: string; name: string }>;
  for (const [key, person] of Object.entries(PEOPLE) as [keyof typeof PEOPLE, Person][]) {
    users[key] = await createUser(tx, { email: person.email, name: person.name, jobTitle: person.jobTitle, roles: person.roles, password: DEMO_PASSWORD });
  }

  // The règlement intérieur in force, sent with every convocation.
  await tx.internalRulesVersion.create({ data: { number: 1, body: DEMO_INTERNAL_RULES, createdById: users.admin.id, createdByName: users.admin.name, createdAt: now } });

  // Structures and their staff
  const ccas = await createStructure(tx, {
    name: "CCAS de Lyon — Maison des solidarités de la Guillotière",
    type: "CCAS",
    siret: "26690048900011", // SIREN 266900489 and SIRET both Luhn-valid; fictitious
    address: "12 rue Sébastien-Gryphe",
    postcode: "69007",
    city: "Lyon",
  });
  const chrs = await createStructure(tx, {
    name: "CHRS L'Escale du Vieux-Lille",
    type: "CHRS",
    siret: "77891234500023",
    address: "18 rue de la Monnaie",
    postcode: "59800",
    city: "Lille",
  });
  const association = await createStructure(tx, {
    name: "Association Passerelles solidaires",
    type: "ASSOCIATION",
    siret: null,
    rna: "W133024871",
    address: "41 boulevard de la Libération",
    postcode: "13001",
    city: "Marseille",
  });
  await tx.membership.createMany({
    data: [
      { userId: users.referent.id, structureId: ccas.id, role: "REFERENT" },
      { userId: users.certified.id, structureId: ccas.id, role: "MEMBER" },
      { userId: users.lucja.id, structureId: ccas.id, role: "MEMBER" },
      { userId: users.learner.id, structureId: chrs.id, role: "MEMBER" },
      { userId: users.olga.id, structureId: chrs.id, role: "MEMBER" },
    ],
  });
  await createMembership(tx, { userId: users.fatima.id, structureId: association.id, role: "REFERENT" });

  // Catalogue
  const modules = [];
  for (const m of MODULES) modules.push(await createModule(tx, m));
  const [m1, m2, m3] = modules as [(typeof modules)[number], (typeof modules)[number], (typeof modules)[number]];

  // Sessions. Dates at least a week apart: the trainer is never in two places at once.
  const trainerId = users.trainer.id;
  const pastDays = trainingDays(addDays(today, -45), 1);
  const pastSlots = halfDaySlots(pastDays).map((slot) => ({
    ...slot,
    trainerSignedAt: addMinutes(slot.endsAt, -4),
    trainerSignature: `Signé par ${PEOPLE.trainer.name}, formatrice`,
    lockedAt: addMinutes(slot.endsAt, 12),
  }));
  const closedAt = addMinutes(pastSlots.at(-1)!.endsAt, 45);
  const past = await createSession(tx, {
    moduleId: m1.id,
    venue: VENUES.lyon,
    trainerId,
    priceCents: m1.priceCents,
    status: "CLOSED",
    closedAt,
    slots: pastSlots,
  });
  const upcoming = (offsetDays: number, days = 1) => ({ startsOn: addDays(today, offsetDays), days });
  const lille = await createSession(tx, { moduleId: m1.id, venue: VENUES.lille, trainerId, priceCents: m1.priceCents, ...upcoming(12) });
  const remote = await createSession(tx, {
    moduleId: m1.id,
    format: "REMOTE",
    remoteUrl: "https://visio.maillon.localhost/formation-sensibilisation",
    capacity: 10,
    trainerId,
    priceCents: m1.priceCents,
    ...upcoming(19),
  });
  const marseille = await createSession(tx, { moduleId: m2.id, venue: VENUES.marseille, trainerId, priceCents: m2.priceCents, ...upcoming(26, 2) });
  const intra = await createSession(tx, {
    moduleId: m2.id,
    kind: "INTRA",
    structureId: ccas.id,
    venue: {
      venueName: "CCAS de Lyon — salle de réunion du 2e étage",
      address: ccas.address!,
      postcode: ccas.postcode!,
      city: ccas.city!,
      accessInfo: "Métro B, arrêt Jean Macé. Accueil au rez-de-chaussée, ascenseur jusqu'à la salle.",
    },
    capacity: 10,
    trainerId,
    priceCents: m2.priceCents,
    ...upcoming(40, 2),
  });
  // A small group, full, so that the waiting list shows.
  const bordeaux = await createSession(tx, { moduleId: m3.id, venue: VENUES.bordeaux, capacity: 4, trainerId, priceCents: m3.priceCents, ...upcoming(54) });

  // Enrolments
  const pastEnrolled = [
    { user: users.certified, structure: ccas, funding: "STRUCTURE" as const, enrolledById: users.referent.id },
    { user: users.learner, structure: chrs, funding: "OPCO" as const, enrolledById: users.learner.id },
  ];
  const pastEnrolments = await tx.enrolment.createManyAndReturn({
    data: pastEnrolled.map((e) =>
      enrolmentData({
        sessionId: past.id,
        userId: e.user.id,
        structureId: e.structure.id,
        enrolledById: e.enrolledById,
        funding: e.funding,
        paymentStatus: "PAID",
        amountCents: past.priceCents,
        objectivesReached: true,
        confirmedAt: addMinutes(past.slots[0]!.startsAt, -30 * 24 * 60),
      }),
    ),
  });
  const confirmedAt = addMinutes(now, -3 * 24 * 60);
  await tx.enrolment.createMany({
    data: [
      enrolmentData({ sessionId: lille.id, userId: users.olga.id, structureId: chrs.id, funding: "OPCO", amountCents: lille.priceCents, confirmedAt }),
      enrolmentData({ sessionId: lille.id, userId: users.thomas.id, funding: "CARD", paymentStatus: "PAID", amountCents: lille.priceCents, confirmedAt }),
      enrolmentData({ sessionId: remote.id, userId: users.wang.id, funding: "FREE", confirmedAt }),
      enrolmentData({ sessionId: remote.id, userId: users.maelys.id, funding: "CARD", paymentStatus: "PAID", amountCents: remote.priceCents, confirmedAt }),
      enrolmentData({
        sessionId: marseille.id,
        userId: users.fatima.id,
        structureId: association.id,
        funding: "STRUCTURE",
        amountCents: marseille.priceCents,
        confirmedAt,
      }),
      ...[users.certified, users.lucja].map((u) =>
        enrolmentData({
          sessionId: intra.id,
          userId: u.id,
          structureId: ccas.id,
          enrolledById: users.referent.id,
          funding: "STRUCTURE",
          amountCents: intra.priceCents,
          confirmedAt,
        }),
      ),
      enrolmentData({ sessionId: bordeaux.id, userId: users.learner.id, structureId: chrs.id, funding: "OPCO", amountCents: bordeaux.priceCents, confirmedAt }),
      ...[users.marieHelene, users.thomas, users.maelys].map((u) =>
        enrolmentData({ sessionId: bordeaux.id, userId: u.id, funding: "CARD", paymentStatus: "PAID", amountCents: bordeaux.priceCents, confirmedAt }),
      ),
      enrolmentData({ sessionId: bordeaux.id, userId: users.anneLaure.id, status: "WAITLISTED", funding: "OPCO", paymentStatus: "NOT_REQUIRED", waitlistRank: 1 }),
    ],
  });
  // Seats held, as the app counts them (CONFIRMED, PENDING_PAYMENT, OFFERED).
  await recountSeats(tx, [past.id, lille.id, remote.id, marseille.id, intra.id, bordeaux.id]);

  // Attendance of the past session: every trainee signed every half-day.
  await tx.signature.createMany({
    data: past.slots.flatMap((slot) =>
      pastEnrolments.map((enrolment, i) => ({
        slotId: slot.id,
        enrolmentId: enrolment.id,
        status: "PRESENT" as const,
        method: "TYPED" as const,
        signedAt: addMinutes(slot.startsAt, 3 + 4 * i),
      })),
    ),
  });

  // Certificates of the past session, issued as closing it does: real numbers, signed with the
  // configured key (the development key by default), so the verification page says "valid".
  for (const enrolment of pastEnrolments) {
    for (const kind of ["COMPLETION", "END_OF_TRAINING"] as const) {
      await issueCertificate(tx, { enrolmentId: enrolment.id, kind, issuedAt: closedAt, attendedMinutes: plannedMinutes(past.slots), objectivesReached: true });
    }
  }

  // The CCAS is an approved, active Relais Numérique.
  const submittedAt = addMinutes(closedAt, -60 * 24 * 60);
  const application = await tx.relayApplication.create({
    data: {
      status: "APPROVED",
      step: 4,
      applicantId: users.referent.id,
      structureId: ccas.id,
      structureName: ccas.name,
      siret: ccas.siret,
      structureType: "CCAS",
      address: ccas.address,
      postcode: ccas.postcode,
      city: ccas.city,
      referentName: PEOPLE.referent.name,
      referentEmail: PEOPLE.referent.email,
      referentPhone: "04 99 00 45 67",
      publicsServed: "Personnes au RSA, familles monoparentales, personnes âgées isolées, jeunes de 18 à 25 ans sans ressources",
      peoplePerMonth: 120,
      staffToTrain: 3,
      motivation:
        "Beaucoup des personnes que nous recevons n'ont plus de forfait mobile et ne peuvent plus recevoir les SMS de la CAF ou de France Travail. Devenir relais nous permettrait de leur proposer une recharge sur place et d'organiser des ateliers dans nos locaux.",
      charterAccepted: true,
      dpoInformed: true,
      submittedAt,
      decidedAt: addMinutes(submittedAt, 6 * 24 * 60),
      decidedById: users.admin.id,
    },
  });
  const relay = await tx.relay.create({
    data: {
      structureId: ccas.id,
      applicationId: application.id,
      status: "ACTIVE",
      requiredModuleId: m1.id,
      activatedAt: closedAt,
      description: "Relais Numérique du CCAS de Lyon, au cœur du quartier de la Guillotière.",
      // The national standard's terms (decision 020): its services, OSM opening hours.
      services: "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|Utilisation sécurisée du numérique",
      openingHours: "Mo,Tu,Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00",
      conventionAcceptedAt: addMinutes(submittedAt, 7 * 24 * 60),
      conventionAcceptedName: PEOPLE.referent.name,
      conventionAcceptedIp: "192.0.2.44",
    },
  });

  // The Marseille association has applied to become a relay: waiting in the staff queue.
  const pendingApplication = await tx.relayApplication.create({
    data: {
      status: "SUBMITTED",
      step: 4,
      applicantId: users.fatima.id,
      structureId: association.id,
      structureName: association.name,
      rna: association.rna,
      structureType: "ASSOCIATION",
      address: association.address,
      postcode: association.postcode,
      city: association.city,
      applicantFunction: PEOPLE.fatima.jobTitle,
      applicantPhone: "04 91 00 12 34",
      referentName: PEOPLE.fatima.name,
      referentEmail: PEOPLE.fatima.email,
      publicsServed: "Familles primo-arrivantes, personnes âgées isolées du centre-ville, jeunes suivis par la mission locale",
      peoplePerMonth: 60,
      staffToTrain: 2,
      staffToTrainNames: "Thomas N'Diaye — thomas.ndiaye@maillon.localhost",
      motivation: "Nos permanences reçoivent chaque semaine des personnes sans forfait mobile : devenir relais nous permettrait de les dépanner sur place.",
      charterAccepted: true,
      dpoInformed: true,
      submittedAt: addMinutes(now, -3 * 24 * 60),
    },
  });
  await tx.auditLog.create({
    data: { actorId: users.fatima.id, action: "relay_application.submitted", entityType: "RelayApplication", entityId: pendingApplication.id, data: { from: "DRAFT" }, createdAt: addMinutes(now, -3 * 24 * 60) },
  });

  // Recharges: products, one import of fake codes each, and this month's quota.
  const period = currentPeriod(now);
  const quotaReason = "Dotation mensuelle (données de démonstration)";
  for (const p of PRODUCTS) {
    const product = await tx.rechargeProduct.create({
      data: {
        name: p.name,
        description: p.description,
        faceValueCents: p.faceValueCents,
        solidarityPriceCents: p.solidarityPriceCents,
        validityDays: p.validityDays,
        lowStockThreshold: 5,
      },
    });
    const codeImport = await tx.codeImport.create({
      data: { filename: `lot-demo-${p.name.toLowerCase()}-${period}.csv`, importedById: users.admin.id, count: CODES_PER_PRODUCT },
    });
    await tx.rechargeCode.createMany({
      data: fakePins(CODES_PER_PRODUCT).map((pin, i) => ({
        productId: product.id,
        codeEncrypted: encryptCode(pin),
        codeHash: hashCode(pin),
        last4: pin.slice(-4),
        // Spread from 2 to 9 months ahead, so "close to expiry" views have something to show.
        expiresAt: addMonths(now, 2 + Math.floor((i * 8) / CODES_PER_PRODUCT)),
        importId: codeImport.id,
      })),
    });
    await tx.quotaBalance.create({ data: { relayId: relay.id, productId: product.id, period, balance: p.monthlyQuota } });
    await tx.quotaLedgerEntry.create({
      data: { id: timeOrderedId(), relayId: relay.id, productId: product.id, period, kind: "ALLOCATION", delta: p.monthlyQuota, reason: quotaReason, actorId: users.admin.id },
    });
  }
}

/** Distinct fake 14-digit operator PINs. */
function fakePins(count: number): string[] {
  const pins = new Set<string>();
  while (pins.size < count) pins.add(String(randomInt(10_000_000_000_000, 100_000_000_000_000)));
  return [...pins];
}

/** Prints, in French, the demo accounts present in `db` and their password. */
export async function printDemoAccounts(db: Db): Promise<void> {
  const existing = new Set(
    (await db.user.findMany({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } }, select: { email: true } })).map((u) => u.email),
  );
  const rows = DEMO_ACCOUNTS.filter((a) => existing.has(a.email)).map((a) => [a.label, a.email, DEMO_PASSWORD] as const);
  if (!rows.length) return;
  const header = ["Rôle", "E-mail", "Mot de passe"] as const;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd();
  console.log(
    ["", "Comptes de démonstration :", line(header), line(widths.map((w) => "─".repeat(w))), ...rows.map(line), ""].join("\n"),
  );
}

async function main() {
  const env = getEnv();
  if (isProduction(env)) {
    console.error(`Refusé : les données de démonstration (comptes au mot de passe public) ne se chargent pas sur un portail en production (APP_URL=${env.APP_URL}).`);
    process.exit(1);
  }
  const url = env.DATABASE_URL;
  const applied = await applyPendingMigrations(url);
  if (applied.length) console.log(`Migrations appliquées : ${applied.join(", ")}`);
  const db = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(db);
  const alreadySeeded = await db.user.findUnique({ where: { email: DEMO_ADMIN_EMAIL }, select: { id: true } });
  if (alreadySeeded) {
    console.log("Les données de démonstration sont déjà présentes : rien à faire.");
  } else {
    const start = performance.now();
    await seedDemoData(db);
    console.log(`Données de démonstration chargées en ${((performance.now() - start) / 1000).toFixed(1)} s.`);
  }
  await printDemoAccounts(db);
  await db.$disconnect();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    // A PostgreSQL pool would keep the process alive.
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
