/**
 * A generated PDF as an HTTP response. Documents carry personal data: never cached by a
 * shared cache nor kept by the browser. The file name is ASCII (callers build it with
 * `fileSlug`); `filename*` is added for completeness.
 */
export function pdfResponse(pdf: Uint8Array, fileName: string, disposition: "inline" | "attachment"): Response {
  const ascii = fileName.replace(/[^\w.-]/g, "_");
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.byteLength),
      "Content-Disposition": `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
