import { timingSafeEqual, randomBytes } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

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
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `--host 0.0.0.0` or `::`: every interface of the machine. */
export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(host);
}

/** The names a request may give for this machine besides the address it is bound to. */
export interface MachineNames {
  hostname: string;
  /** The addresses of every network interface, loopback included. */
  addresses: readonly string[];
}

/** This machine's host name and interface addresses, read now (they change with the network). */
export function localMachineNames(): MachineNames {
  const addresses = Object.values(networkInterfaces())
    .flat()
    // A link-local IPv6 address carries its zone ("fe80::1%eth0"); a Host header cannot.
    .flatMap((entry) => (entry ? [entry.address.replace(/%.*$/, '')] : []));
  return { hostname: hostname(), addresses };
}

/** The addresses other machines can use to reach this one: not loopback, not link-local. */
export function reachableAddresses(addresses: readonly string[]): string[] {
  return addresses.filter(
    (address) => !LOOPBACK_HOSTS.has(address) && !/^(127\.|fe80:|::1$)/i.test(address),
  );
}

/**
 * The host names a request may be addressed to. Loopback binds accept the loopback names only.
 * A bind to one outside address accepts that address and the machine's name; a bind to all
 * interfaces, which the user asked for on purpose, accepts every address and name of this
 * machine. Any other name (an attacker's domain rebound to this address) is refused.
 */
export function allowedHostNames(boundHost: string, machine: MachineNames): string[] {
  if (isLoopbackHost(boundHost)) return [...LOOPBACK_HOSTS, boundHost];
  const names = [boundHost, machine.hostname];
  if (isWildcardHost(boundHost)) names.push(...LOOPBACK_HOSTS, ...machine.addresses);
  return names.filter((name) => name !== '');
}

/**
 * A page on another site can make the browser talk to a local port (DNS rebinding, cross-site
 * WebSocket): only requests addressed to the host we serve on, from pages we served, get through.
 */
export function hostHeaderAllowed(
  hostHeader: string | undefined,
  boundHost: string,
  port: number,
  machine: MachineNames = { hostname: '', addresses: [] },
): boolean {
  if (!hostHeader) return false;
  const given = hostHeader.toLowerCase();
  return allowedHostNames(boundHost, machine).some((name) => {
    const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    return given === `${bracketed}:${port}`.toLowerCase();
  });
}

export function originAllowed(
  origin: string | undefined,
  boundHost: string,
  port: number,
  machine: MachineNames = { hostname: '', addresses: [] },
): boolean {
  // Non-browser clients (the CLI, tests) send no Origin; browsers always do for WebSockets.
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && hostHeaderAllowed(url.host, boundHost, port, machine);
  } catch {
    return false;
  }
}

/** Sent as a header only: a meta tag cannot forbid framing. */
const HEADER_ONLY_DIRECTIVES = "frame-ancestors 'none'";
/** Served when the page declares no policy of its own: nothing loads, which a test notices. */
const FALLBACK_POLICY = "default-src 'none'";

/**
 * The Content-Security-Policy header for the served app: the policy the page declares in its
 * meta tag (src-renderer/index.html is the one place it is written), plus what only a header can
 * say. A header also covers responses that a meta tag cannot, and cannot be stripped by markup.
 */
export function contentSecurityPolicyHeader(indexHtml: string): string {
  for (const tag of indexHtml.match(/<meta\b[^>]*>/gi) ?? []) {
    const equiv = /\bhttp-equiv\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
    const content = /\bcontent\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
    if (equiv?.toLowerCase() === 'content-security-policy' && content)
      return `${content.trim().replace(/;\s*$/, '')}; ${HEADER_ONLY_DIRECTIVES}`;
  }
  return `${FALLBACK_POLICY}; ${HEADER_ONLY_DIRECTIVES}`;
}
