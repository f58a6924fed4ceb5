import { describe, expect, it } from "vitest";
import { objectivesField } from "./session-close.rules";
import { parseObjectivesForm } from "./session-close.schema";

const form = (entries: [string, string][]) => {
  const fd = new FormData();
  for (const [k, v] of entries) fd.append(k, v);
  return fd;
};

describe("parseObjectivesForm", () => {
  it("reads one choice per trainee and ignores other fields", () => {
    expect(parseObjectivesForm(form([["intent", "objectives"], [objectivesField("e1"), "yes"], [objectivesField("e2"), "unknown"]]))).toEqual({
      ok: true,
      choices: { e1: "yes", e2: "unknown" },
    });
  });

  it("puts an error on a field with an unknown value, and on the form when nothing is chosen", () => {
    expect(parseObjectivesForm(form([[objectivesField("e1"), "peut-être"]]))).toEqual({ ok: false, errors: { [objectivesField("e1")]: "Choisissez : atteints, non atteints ou non évalués." } });
    expect(parseObjectivesForm(form([["intent", "objectives"]]))).toMatchObject({ ok: false, errors: { form: expect.any(String) } });
  });
});
