import { z } from "zod";
import { emailFieldWith } from "~/modules/auth/auth.schema";
import { personNameField } from "~/utils/person-name";
import { INVITABLE_ROLES, REASON_MIN, ROLES } from "./people.rules";

const text = (v: unknown) => (typeof v === "string" ? v : "");

export const reasonField = z.preprocess(
  text,
  z
    .string()
    .trim()
    .min(REASON_MIN, `Indiquez la raison (${REASON_MIN} caractères au moins) : elle est gardée dans le journal.`)
    .max(500, "La raison est trop longue (500 caractères au plus)."),
);

const roleField = z.preprocess(text, z.enum(ROLES, { message: "Choisissez un rôle de la liste." }));
const invitableRoleField = z.preprocess(text, z.enum(INVITABLE_ROLES, { message: "Choisissez formateur·rice ou administrateur·rice." }));
const personEmail = emailFieldWith("Indiquez l'adresse e-mail de la personne.");

export const RoleChangeSchema = z.object({ role: roleField, reason: reasonField });
export const ReasonSchema = z.object({ reason: reasonField });
export const GrantByEmailSchema = z.object({ email: personEmail, role: roleField, reason: reasonField });
export const InviteSchema = z.object({
  email: personEmail,
  name: personNameField("Indiquez le nom et le prénom de la personne."),
  role: invitableRoleField,
  reason: reasonField,
});

export const PEOPLE_PAGE_SIZE = 50;

export type PeopleFilters = { q: string; page: number };

export function readPeopleFilters(params: URLSearchParams): PeopleFilters {
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return { q: (params.get("q") ?? "").trim().slice(0, 200), page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1 };
}

export function peopleFiltersQuery(filters: PeopleFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `?${query}` : "";
}
