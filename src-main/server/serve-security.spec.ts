import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicyHeader,
  hostHeaderAllowed,
  isLoopbackHost,
  newSessionToken,
  originAllowed,
  reachableAddresses,
  tokensMatch,
} from './serve-security';

describe('serve security', () => {
  it('makes long, different tokens', () => {
    const a = newSessionToken();
    expect(a).toMatch(/^[\w-]{32}$/);
    expect(newSessionToken()).not.toBe(a);
  });

  it('matches tokens exactly', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('abc', null)).toBe(false);
  });

  it('knows loopback names', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.3.2.1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.2')).toBe(false);
  });

  it('accepts only Host headers naming the served host and port', () => {
    expect(hostHeaderAllowed('127.0.0.1:8080', '127.0.0.1', 8080)).toBe(true);
    expect(hostHeaderAllowed('localhost:8080', '127.0.0.1', 8080)).toBe(true);
    expect(hostHeaderAllowed('[::1]:8080', '127.0.0.1', 8080)).toBe(true);
    expect(hostHeaderAllowed('127.0.0.1:8081', '127.0.0.1', 8080)).toBe(false);
    expect(hostHeaderAllowed('attacker.example:8080', '127.0.0.1', 8080)).toBe(false);
    expect(hostHeaderAllowed(undefined, '127.0.0.1', 8080)).toBe(false);
    expect(hostHeaderAllowed('10.0.0.5:8080', '10.0.0.5', 8080)).toBe(true);
  });

  it('accepts only pages served by us as WebSocket origins', () => {
    expect(originAllowed(undefined, '127.0.0.1', 80)).toBe(true);
    expect(originAllowed('http://127.0.0.1:80', '127.0.0.1', 80)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1', 8080)).toBe(true);
    expect(originAllowed('https://evil.example', '127.0.0.1', 8080)).toBe(false);
    expect(originAllowed('null', '127.0.0.1', 8080)).toBe(false);
  });

  const lab = {
    hostname: 'Lab-PC',
    addresses: ['127.0.0.1', '::1', '192.168.1.20', 'fd00::2', 'fe80::fc:ff:fe00:1'],
  };

  it('accepts the machine’s own addresses and names when bound to all interfaces', () => {
    for (const bound of ['0.0.0.0', '::']) {
      for (const host of [
        '192.168.1.20:8080',
        '[fd00::2]:8080',
        '[fe80::fc:ff:fe00:1]:8080',
        'lab-pc:8080',
        'LAB-PC:8080',
        '127.0.0.1:8080',
        'localhost:8080',
        '[::1]:8080',
        `${bound.includes(':') ? '[::]' : bound}:8080`,
      ])
        expect(hostHeaderAllowed(host, bound, 8080, lab), `${host} on ${bound}`).toBe(true);
      expect(hostHeaderAllowed('evil.example:8080', bound, 8080, lab)).toBe(false);
      expect(hostHeaderAllowed('192.168.1.21:8080', bound, 8080, lab)).toBe(false);
      expect(hostHeaderAllowed('192.168.1.20:8081', bound, 8080, lab)).toBe(false);
      expect(hostHeaderAllowed('192.168.1.20', bound, 8080, lab)).toBe(false);
      expect(originAllowed('http://192.168.1.20:8080', bound, 8080, lab)).toBe(true);
      expect(originAllowed('http://evil.example:8080', bound, 8080, lab)).toBe(false);
    }
  });

  it('keeps a loopback bind strict, and a bind to one address to that address and the name', () => {
    expect(hostHeaderAllowed('192.168.1.20:8080', '127.0.0.1', 8080, lab)).toBe(false);
    expect(hostHeaderAllowed('lab-pc:8080', '127.0.0.1', 8080, lab)).toBe(false);
    expect(hostHeaderAllowed('192.168.1.20:8080', '192.168.1.20', 8080, lab)).toBe(true);
    expect(hostHeaderAllowed('lab-pc:8080', '192.168.1.20', 8080, lab)).toBe(true);
    expect(hostHeaderAllowed('[fd00::2]:8080', '192.168.1.20', 8080, lab)).toBe(false);
    expect(hostHeaderAllowed('localhost:8080', '192.168.1.20', 8080, lab)).toBe(false);
  });

  it('sends the page’s own Content-Security-Policy as a header, with framing forbidden', () => {
    const html = readFileSync(
      join(import.meta.dirname, '..', '..', 'src-renderer', 'index.html'),
      'utf8',
    );
    const header = contentSecurityPolicyHeader(html);
    expect(header).toMatch(/^default-src 'self'; script-src 'self';/);
    expect(header).toContain("object-src 'none'");
    expect(header.endsWith("; frame-ancestors 'none'")).toBe(true);
    expect(contentSecurityPolicyHeader('<html><head></head></html>')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('names the addresses other machines can reach, without loopback or link-local ones', () => {
    expect(
      reachableAddresses(['127.0.0.1', '192.0.2.7', '::1', 'fe80::1', '2001:db8::5', '127.0.1.1']),
    ).toEqual(['192.0.2.7', '2001:db8::5']);
  });
});
