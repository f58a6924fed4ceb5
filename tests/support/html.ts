/**
 * Reading the portal's server-rendered HTML in HTTP tests, as a browser without JavaScript
 * shows it (not the hydration data): a field's error, an input's value, the visible text.
 */
import { expect } from "vitest";
import { postForm, type AppServer } from "./app-server";
import { FACTORY_PASSWORD } from "../factories";

export const decodeEntities = (text: string) =>
  text.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The message shown under a field whose error element is `<id>-error`. */
export const errorUnder = (html: string, id: string) => decodeEntities(html.match(new RegExp(`id="${id}-error">([^<]*)<`))?.[1] ?? "");

/** The value an input with this id is rendered with, whatever the attributes' order. */
export const valueOf = (html: string, id: string) =>
  decodeEntities(html.match(new RegExp(`<input[^>]*id="${id}"[^>]*value="([^"]*)"`))?.[1] ?? html.match(new RegExp(`<input[^>]*value="([^"]*)"[^>]*id="${id}"`))?.[1] ?? "");

/** The page's visible text, scripts left out, spaces collapsed. */
export const textOf = (html: string) => decodeEntities(html.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");

/** Logs a factory-made account in through the login form; the session cookie to send. */
export async function loginAs(app: AppServer, email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}
