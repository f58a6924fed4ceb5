import { describe, expect, it } from "vitest";
import { formatDate } from "~/utils/dates";
import { parseExpiry } from "./code-csv.rules";
import { codeStanding, issuableAfter, lastValidDay } from "./stock.rules";

const now = new Date("2027-03-10T09:30:00Z"); // 10:30 in Paris

describe("codeStanding (which codes are given)", () => {
  const expiringOn = (day: string) => parseExpiry(day)!;
  it.each<[string, string, number, ReturnType<typeof codeStanding>]>([
    ["a code valid through today, margin 7", "2027-03-10", 7, "TO_CLEAR"],
    ["a code valid through today, margin 0: still usable tonight", "2027-03-10", 0, "ISSUABLE"],
    ["a code valid through yesterday", "2027-03-09", 0, "EXPIRED"],
    ["6 days left after today, margin 7", "2027-03-16", 7, "TO_CLEAR"],
    ["7 days left after today, margin 7", "2027-03-17", 7, "ISSUABLE"],
    ["far away", "2027-09-30", 7, "ISSUABLE"],
  ])("%s", (_, day, margin, standing) => {
    expect(codeStanding(expiringOn(day), now, margin)).toBe(standing);
  });

  it("treats the expiry instant itself as expired", () => {
    expect(codeStanding(now, now, 0)).toBe("EXPIRED");
    expect(codeStanding(new Date(now.getTime() + 1), now, 0)).toBe("ISSUABLE");
  });

  it("agrees with the cut-off the issuing query uses", () => {
    expect(issuableAfter(now, 7).toISOString()).toBe("2027-03-17T09:30:00.000Z");
    expect(issuableAfter(now, 0)).toEqual(now);
  });
});

describe("lastValidDay (what the voucher prints)", () => {
  it.each([
    ["2027-03-31", "31 mars 2027"], // winter time
    ["2027-07-31", "31 juillet 2027"], // summer time: the expiry instant is midnight in Paris
    ["31/12/2027", "31 décembre 2027"],
    ["2027-10-31", "31 octobre 2027"], // the night clocks go back
  ])("a code imported as valid through %s is valid through %s inclusive", (raw, shown) => {
    expect(formatDate(lastValidDay(parseExpiry(raw)!))).toBe(shown);
  });
});
