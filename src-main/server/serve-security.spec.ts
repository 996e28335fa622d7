import { describe, expect, it } from 'vitest';
import {
  hostHeaderAllowed,
  isLoopbackHost,
  newSessionToken,
  originAllowed,
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
});
