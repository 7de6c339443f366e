/**
 * The studio's Content-Security-Policy: injected as a <meta> into the renderer's index.html at
 * build time (Electron) and sent as a header by serve mode. Nothing loads from outside the app;
 * 'self' also covers the same-origin WebSocket in serve mode.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Svelte and Konva set inline style attributes; no inline scripts are allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ')

/** frame-ancestors is ignored (and reported as an error) in a <meta> CSP, so only the header carries it. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`
