/**
 * The règlement intérieur (Code du travail L6352-3, R6352-1 to R6352-15): how its text is
 * written and shown, pure and tested in internal-rules.rules.test.ts.
 *
 * Staff type plain text with three marks, nothing else: a line starting with "# " is a
 * title, "## " a subtitle, "- " an item of a list; a blank line ends a paragraph. The text
 * becomes a list of blocks that the page and the PDF draw as text: no HTML is ever read
 * from it, so nothing typed can run in a browser.
 */
import { formatDate } from "~/utils/dates";

export type RulesBlock =
  | { kind: "title"; text: string }
  | { kind: "subtitle"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] };

export const RULES_MIN_CHARS = 200;
export const RULES_MAX_CHARS = 60_000;

/** CRLF and CR to LF, tabs to spaces, other control characters out, trailing spaces trimmed. */
export function normaliseRulesText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

export function parseRulesText(text: string): RulesBlock[] {
  const blocks: RulesBlock[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: "paragraph", text: paragraph.join(" ") });
    if (list) blocks.push({ kind: "list", items: list });
    paragraph = [];
    list = null;
  };
  for (const raw of normaliseRulesText(text).split("\n")) {
    const line = raw.trim();
    if (line === "") {
      flush();
    } else if (/^##\s+/.test(line)) {
      flush();
      blocks.push({ kind: "subtitle", text: line.replace(/^##\s+/, "") });
    } else if (/^#\s+/.test(line)) {
      flush();
      blocks.push({ kind: "title", text: line.replace(/^#\s+/, "") });
    } else if (/^[-*]\s+/.test(line)) {
      if (paragraph.length) flush();
      (list ??= []).push(line.replace(/^[-*]\s+/, ""));
    } else if (list) {
      // A line under an item continues it.
      list[list.length - 1] += ` ${line}`;
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

export type RulesCheck = { ok: true; body: string } | { ok: false; error: string };

/** What a save may store: the text normalised, long enough to be a règlement, and new. */
export function checkRulesBody(text: string, current: { number: number; body: string } | null): RulesCheck {
  const body = normaliseRulesText(text);
  if (body === "") return { ok: false, error: "Écrivez le texte du règlement intérieur." };
  if (body.length < RULES_MIN_CHARS)
    return { ok: false, error: `Le texte est trop court pour un règlement intérieur (${body.length} caractères, ${RULES_MIN_CHARS} au moins).` };
  if (body.length > RULES_MAX_CHARS)
    return { ok: false, error: `Le texte est trop long (${body.length.toLocaleString("fr-FR")} caractères, ${RULES_MAX_CHARS.toLocaleString("fr-FR")} au plus).` };
  if (current && current.body === body)
    return { ok: false, error: `Ce texte est identique à la version ${current.number}, en vigueur : il n'y a rien à enregistrer.` };
  return { ok: true, body };
}

/**
 * A save is based on the version the form showed: when someone else published one since,
 * the save is refused (nothing is overwritten unseen) and the text typed is kept.
 */
export function staleBaseError(baseNumber: number, current: { number: number; createdByName: string; createdAt: Date } | null): string | null {
  const latest = current?.number ?? 0;
  if (baseNumber === latest) return null;
  if (!current) return "Le formulaire ne correspond à aucune version : rechargez la page.";
  return `La version ${current.number} a été enregistrée par ${current.createdByName} le ${formatDate(current.createdAt)} pendant que vous écriviez : relisez-la (votre texte est conservé ci-dessous), puis enregistrez à nouveau.`;
}

/** "version 3 du 7 décembre 2026" */
export const rulesVersionLabel = (v: { number: number; createdAt: Date }) => `version ${v.number} du ${formatDate(v.createdAt)}`;
