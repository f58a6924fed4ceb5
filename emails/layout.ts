/**
 * What every template is built from. A template lists blocks (paragraphs, one action
 * link); this file turns them into both versions of the mail, so the HTML and the plain
 * text always say the same thing, and every value is escaped in one place.
 */
export type RenderedMail = { subject: string; html: string; text: string };
/** What a template says; `layoutMail` turns it into the mail, with the sender's footer. */
export type MailContent = { subject: string; blocks: Block[] };
/** Who the mails come from (the organisation's identity), for the footer. */
export type MailSender = { name: string; email: string };

type Block = { kind: "paragraph"; text: string } | { kind: "action"; label: string; url: string } | { kind: "note"; text: string };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Names typed by people end up in the Subject header: one line, no control characters. */
function oneLine(value: string): string {
  return value.replace(/[\s\p{Cc}]+/gu, " ").trim();
}

export const paragraph = (text: string): Block => ({ kind: "paragraph", text });
/** Small print under the main message (why you got it, what to do if it was not you). */
export const note = (text: string): Block => ({ kind: "note", text });

/** The one link the mail is about. Only web links: anything else would be a bug upstream. */
export function action(label: string, url: string): Block {
  if (!/^https?:\/\//i.test(url)) throw new Error("An e-mail action link must be an http(s) URL");
  return { kind: "action", label, url };
}

const footerOf = (sender?: MailSender) =>
  sender
    ? `${sender.name} — formation à l'inclusion numérique et réseau des Relais Numériques. Pour nous écrire : ${sender.email}. Ce message est envoyé automatiquement : merci de ne pas y répondre.`
    : "Maillon — formation à l'inclusion numérique et réseau des Relais Numériques. Ce message est envoyé automatiquement : merci de ne pas y répondre.";

// Inline styles only: most mail clients drop <style> blocks and external sheets.
const STYLE = {
  body: "margin:0;padding:0;background:#f5f1ec;",
  card: "max-width:36rem;margin:0 auto;padding:24px;background:#ffffff;color:#1b1b1f;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;",
  brand: "margin:0 0 16px;font-size:20px;font-weight:700;color:#8a1c3c;",
  paragraph: "margin:0 0 16px;",
  button: "display:inline-block;padding:12px 20px;background:#8a1c3c;color:#ffffff;border-radius:4px;font-weight:600;text-decoration:none;",
  fallback: "margin:0 0 16px;font-size:14px;color:#4a4a55;word-break:break-all;",
  note: "margin:0 0 16px;font-size:14px;color:#4a4a55;",
  footer: "max-width:36rem;margin:0 auto;padding:16px 24px;font-family:system-ui,sans-serif;font-size:13px;color:#4a4a55;",
};

function blockToHtml(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return `<p style="${STYLE.paragraph}">${escapeHtml(block.text)}</p>`;
    case "note":
      return `<p style="${STYLE.note}">${escapeHtml(block.text)}</p>`;
    case "action": {
      const href = escapeHtml(block.url);
      return [
        `<p style="${STYLE.paragraph}"><a href="${href}" style="${STYLE.button}">${escapeHtml(block.label)}</a></p>`,
        `<p style="${STYLE.fallback}">Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :<br><a href="${href}">${href}</a></p>`,
      ].join("\n");
    }
  }
}

function blockToText(block: Block): string {
  return block.kind === "action" ? `${block.label} :\n${block.url}` : block.text;
}

export const composeMail = (content: MailContent): MailContent => content;

export function layoutMail({ subject, blocks }: MailContent, sender?: MailSender): RenderedMail {
  const cleanSubject = oneLine(subject);
  const footer = footerOf(sender);
  const html = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(cleanSubject)}</title>
</head>
<body style="${STYLE.body}">
<div style="${STYLE.card}">
<p style="${STYLE.brand}">Maillon</p>
${blocks.map(blockToHtml).join("\n")}
</div>
<p style="${STYLE.footer}">${escapeHtml(footer)}</p>
</body>
</html>
`;
  const text = `${blocks.map(blockToText).join("\n\n")}\n\n-- \n${footer}\n`;
  return { subject: cleanSubject, html, text };
}
