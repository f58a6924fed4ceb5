/**
 * CSRF defence: a state-changing request is accepted only when its Origin (or, for the
 * rare browsers that omit it, its Referer) is the portal's own origin.
 */
export function isAllowedOrigin(headers: { origin?: string | null; referer?: string | null }, appUrl: string): boolean {
  const expected = new URL(appUrl).origin;
  if (headers.origin) return headers.origin === expected;
  if (headers.referer) {
    try {
      return new URL(headers.referer).origin === expected;
    } catch {
      return false;
    }
  }
  return false;
}
