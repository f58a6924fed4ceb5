/**
 * The public directory of active relays: nearest first for a typed postcode or city, and the
 * open-data export. Pure, tested as tables. Without coordinates, "nearest" is read from the
 * postcode: same postcode, then same département, then the closest numbers.
 */
export type Locatable = { name: string; postcode: string | null; city: string | null };

const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** "69007" → "69"; overseas "97411" → "974". */
export const departmentOf = (postcode: string): string => (postcode.startsWith("97") || postcode.startsWith("98") ? postcode.slice(0, 3) : postcode.slice(0, 2));

function postcodeRank(postcode: string | null, typed: string): [number, number] {
  if (!postcode) return [3, 0];
  if (postcode === typed) return [0, 0];
  const distance = typed.length === 5 ? Math.abs(Number(postcode) - Number(typed)) : 0;
  if (postcode.startsWith(typed)) return [typed.length === 5 ? 0 : 1, distance];
  if (typed.length >= 2 && departmentOf(postcode) === departmentOf(typed.padEnd(5, "0"))) return [1, distance];
  return [2, distance];
}

export function rankByPostcode<T extends Locatable>(entries: readonly T[], search: string): T[] {
  const typed = search.trim();
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, "fr");
  if (!typed) return [...entries].sort((a, b) => (a.postcode ?? "").localeCompare(b.postcode ?? "") || byName(a, b));
  let key: (e: T) => [number, number];
  if (/^\d{1,5}$/.test(typed)) {
    key = (e) => postcodeRank(e.postcode, typed);
  } else {
    const city = fold(typed);
    const departments = new Set(entries.filter((e) => e.city && fold(e.city).includes(city) && e.postcode).map((e) => departmentOf(e.postcode!)));
    key = (e) => (e.city && fold(e.city).includes(city) ? [0, 0] : e.postcode && departments.has(departmentOf(e.postcode)) ? [1, 0] : [2, 0]);
  }
  return [...entries].sort((a, b) => {
    const [ra, da] = key(a);
    const [rb, db] = key(b);
    return ra - rb || da - db || byName(a, b);
  });
}

/** Whether an entry is "near" the search (shown first, under "Près de chez vous"). */
export function isNear(entry: Locatable, search: string): boolean {
  const typed = search.trim();
  if (!typed) return false;
  if (/^\d{1,5}$/.test(typed)) return postcodeRank(entry.postcode, typed)[0] <= 1;
  return !!entry.city && fold(entry.city).includes(fold(typed));
}
