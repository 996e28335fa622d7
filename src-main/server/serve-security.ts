import { timingSafeEqual, randomBytes } from 'node:crypto';

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensMatch(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * A page on another site can make the browser talk to a local port (DNS rebinding, cross-site
 * WebSocket): only requests addressed to the host we serve on, from pages we served, get through.
 */
export function hostHeaderAllowed(
  hostHeader: string | undefined,
  boundHost: string,
  port: number,
): boolean {
  if (!hostHeader) return false;
  const allowedNames = isLoopbackHost(boundHost) ? [...LOOPBACK_HOSTS, boundHost] : [boundHost];
  return allowedNames.some((name) => {
    const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    return hostHeader === `${bracketed}:${port}`;
  });
}

export function originAllowed(
  origin: string | undefined,
  boundHost: string,
  port: number,
): boolean {
  // Non-browser clients (the CLI, tests) send no Origin; browsers always do for WebSockets.
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && hostHeaderAllowed(url.host, boundHost, port);
  } catch {
    return false;
  }
}
