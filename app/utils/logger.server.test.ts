import { describe, expect, it } from "vitest";
import { loggablePath } from "./logger.server";

describe("loggablePath", () => {
  it.each([
    ["/questionnaire/AbC_123-xyz", "/questionnaire/…"],
    ["/questionnaire/AbC/autre", "/questionnaire/…/autre"],
    ["/formations/questionnaire/abc", "/formations/questionnaire/abc"],
    ["/admin/rapports", "/admin/rapports"],
  ])("%s → %s", (path, expected) => {
    expect(loggablePath(path)).toBe(expected);
  });
});
