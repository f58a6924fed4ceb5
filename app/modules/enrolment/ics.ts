/**
 * iCalendar (RFC 5545) written by hand: the format is small and a dependency would bring
 * more than it saves. What the RFC asks and calendar apps check: CRLF line endings, lines
 * folded at 75 octets (never inside a UTF-8 character), TEXT values escaped, a UID and a
 * DTSTAMP on every event, times in UTC ("Z") so no VTIMEZONE block is needed.
 *
 * A convocation is a scheduling message (iTIP, RFC 5546): METHOD:REQUEST with the
 * organisation as ORGANIZER and the trainee as ATTENDEE, a UID that stays the same for an
 * event and a SEQUENCE that grows with each change, so a calendar app replaces the event it
 * holds. An event that no longer exists goes out as METHOD:CANCEL (its own calendar file:
 * one object carries one method).
 */
export type CalendarPerson = { name: string; email: string };
export type CalendarEvent = {
  uid: string;
  /** Revision of the event (RFC 5545 §3.8.7.4): 0 first, +1 at each change of time or place. */
  sequence?: number;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  location?: string | null;
  description?: string | null;
  url?: string | null;
};

const MAX_OCTETS = 75;

/** TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newlines. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** A parameter value (CN) in double quotes, which it may not contain (§3.2). */
const quoteParam = (value: string) => `"${value.replace(/["\r\n\p{Cc}]/gu, "").trim()}"`;
const mailto = (email: string) => `mailto:${email.trim()}`;

/** 20260302T080000Z */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Splits a content line into chunks of at most 75 octets; continuation lines start with a space (§3.1). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    // The leading space of a continuation line counts towards its 75 octets.
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export type CalendarMethod = "PUBLISH" | "REQUEST" | "CANCEL";

export function buildCalendar(input: {
  events: CalendarEvent[];
  dtstamp: Date;
  name?: string;
  method?: CalendarMethod;
  /** Required by iTIP for every method (RFC 5546 §3.2). */
  organizer?: CalendarPerson;
  attendee?: CalendarPerson;
}): string {
  const method = input.method ?? "PUBLISH";
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Maillon//Convocation//FR", "CALSCALE:GREGORIAN", `METHOD:${method}`];
  if (input.name) lines.push(`X-WR-CALNAME:${escapeText(input.name)}`);
  for (const event of input.events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${event.uid}`,
      `DTSTAMP:${formatUtc(input.dtstamp)}`,
      `SEQUENCE:${event.sequence ?? 0}`,
      `DTSTART:${formatUtc(event.startsAt)}`,
      `DTEND:${formatUtc(event.endsAt)}`,
      `SUMMARY:${escapeText(event.summary)}`,
    );
    if (input.organizer) lines.push(`ORGANIZER;CN=${quoteParam(input.organizer.name)}:${mailto(input.organizer.email)}`);
    if (input.attendee)
      lines.push(`ATTENDEE;CN=${quoteParam(input.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:${mailto(input.attendee.email)}`);
    lines.push(`STATUS:${method === "CANCEL" ? "CANCELLED" : "CONFIRMED"}`);
    if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
    if (event.url) lines.push(`URL:${event.url}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

/** Reverses folding and escaping: what a calendar app reads (used by the tests). */
export function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, "").split("\r\n").filter(Boolean);
}
