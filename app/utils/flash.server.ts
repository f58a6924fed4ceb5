import { createCookie, redirect } from "@remix-run/node";

/** A one-time message shown on the next page (e.g. "Vous êtes déconnecté·e."). */
const flashCookie = createCookie("maillon_flash", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: 60,
  secure: process.env.NODE_ENV === "production" && (process.env.APP_URL ?? "").startsWith("https:"),
});

export type Flash = { kind: "success" | "info" | "error"; message: string };

export async function redirectWithFlash(to: string, flash: Flash, headers: HeadersInit = {}) {
  const h = new Headers(headers);
  h.append("Set-Cookie", await flashCookie.serialize(flash));
  return redirect(to, { headers: h });
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; headers: Headers }> {
  const value = (await flashCookie.parse(request.headers.get("Cookie"))) as Flash | null;
  const headers = new Headers();
  if (value) headers.append("Set-Cookie", await flashCookie.serialize("", { maxAge: 0 }));
  const valid = value && typeof value.message === "string" && ["success", "info", "error"].includes(value.kind);
  return { flash: valid ? value : null, headers };
}
