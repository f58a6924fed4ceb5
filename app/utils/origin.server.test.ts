import { describe, expect, it } from "vitest";
import { isAllowedOrigin } from "./origin.server";

const app = "https://maillon.example.org";

describe("Origin check", () => {
  it.each([
    [{ origin: "https://maillon.example.org" }, true],
    [{ origin: "https://evil.example.com" }, false],
    [{ origin: "http://maillon.example.org" }, false],
    [{ origin: "null" }, false],
    [{ referer: "https://maillon.example.org/connexion" }, true],
    [{ referer: "https://maillon.example.org.evil.com/" }, false],
    [{ referer: "pas une url" }, false],
    [{}, false],
  ])("%j → %s", (headers, allowed) => {
    expect(isAllowedOrigin(headers, app)).toBe(allowed);
  });
});
