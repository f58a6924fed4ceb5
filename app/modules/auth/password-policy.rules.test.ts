import { describe, expect, it } from "vitest";
import { buildCommonPasswordSet, passwordProblem } from "./password-policy.rules";

const common = buildCommonPasswordSet(["qwerty123456", "password", "sunshine"]);
const check = (pw: string, email?: string) => passwordProblem(pw, { email, common });

describe("password policy", () => {
  it.each([
    ["short", "court"],
    ["11 chars ab", "au moins 12"],
    ["qwerty123456", "trop courant"],
    ["QWERTY123456", "trop courant"],
    ["password2024!!!", "trop courant"],
    ["motdepasse1234", "trop courant"],
    ["aaaaaaaaaaaaaaa", "trop facile"],
    ["x".repeat(129), "ne doit pas dépasser"],
  ])("refuses %j", (pw, message) => {
    const problem = check(pw);
    expect(problem).not.toBeNull();
    if (message !== "court") expect(problem).toContain(message);
  });

  it("refuses the e-mail address as password", () => {
    expect(check("camille.martin@exemple.fr", "camille.martin@exemple.fr")).toContain("adresse e-mail");
  });

  it.each(["un chat sur le toit", "Correct horse battery", "ŁódźŻółćGęśląJaźń", "我的密码是很长的一句话啊", "12 caractères"])(
    "accepts %j without composition rules",
    (pw) => {
      expect(check(pw)).toBeNull();
    },
  );

  it("counts characters, not bytes", () => {
    // 12 characters, 24 bytes in UTF-8: long enough.
    expect(check("éàüçéàüçéàüç")).toBeNull();
    expect(check("éàüçéàüçéàü")).toContain("au moins 12");
  });
});
