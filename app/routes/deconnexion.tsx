import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { destroyUserSession } from "~/modules/auth/session.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const loader = () => redirect("/");

export async function action({ request }: ActionFunctionArgs) {
  const cookie = await destroyUserSession(request);
  return redirectWithFlash("/", { kind: "info", message: "Vous êtes déconnecté·e. À bientôt !" }, { "Set-Cookie": cookie });
}
