/**
 * Request body limits, checked on the Content-Length header before anything reads the body:
 * forms are small (1 MB), the few upload routes have their own limit, the one their page
 * announces. A body without a declared length (chunked) is refused, or it could outgrow any
 * limit; browsers always declare it. Refusals are French HTML pages with a way back.
 */
import type { RequestHandler } from "express";

export type UploadRoute = { path: string; maxBytes: number; tooLarge: string };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A bare page (no app layout: it is sent before the app runs), in French. */
export function refusalPage(title: string, message: string, backHref: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — Maillon</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="${escapeHtml(backHref)}">Revenir au formulaire</a> · <a href="/">Accueil de Maillon</a></p>
</main>
</body>
</html>
`;
}

/** "/Admin/Recharges/Import/" and "/admin/recharges/import.data" (a form sent by script) are the same route. */
const routeOf = (pathname: string) => pathname.toLowerCase().replace(/\.data$/, "").replace(/(.)\/+$/, "$1");

export function bodyLimit({ maxBytes, uploads }: { maxBytes: number; uploads: readonly UploadRoute[] }): RequestHandler {
  const megabytes = `${Math.round(maxBytes / (1024 * 1024))} Mo`;
  return (req, res, next) => {
    const route = routeOf(req.path);
    const upload = uploads.find((u) => u.path === route);
    const declared = req.get("content-length");
    const send = (status: number, title: string, message: string) =>
      res.status(status).set("Cache-Control", "no-store").type("text/html; charset=utf-8").send(refusalPage(title, message, route));
    if (declared === undefined) {
      if (req.get("transfer-encoding") === undefined) return next();
      return send(411, "Requête refusée", "La requête n'annonce pas la taille des données envoyées : elle est refusée. Envoyez le formulaire depuis la page du site.");
    }
    if (Number(declared) <= (upload?.maxBytes ?? maxBytes)) return next();
    send(413, "Envoi trop volumineux", upload?.tooLarge ?? `Les données envoyées sont trop volumineuses : ${megabytes} au plus pour un formulaire.`);
  };
}
