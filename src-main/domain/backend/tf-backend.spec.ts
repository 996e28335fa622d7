import { describe, expect, it } from 'vitest';
import { parseBackendName } from './tf-backend';

describe('backend choice', () => {
  it('accepts the three backends and nothing else', () => {
    expect(parseBackendName(undefined)).toBeUndefined();
    expect(parseBackendName('')).toBeUndefined();
    expect(parseBackendName('wasm')).toBe('wasm');
    expect(parseBackendName('cpu')).toBe('cpu');
    expect(parseBackendName('tensorflow')).toBe('tensorflow');
    expect(() => parseBackendName('webgl')).toThrow(
      /UNFOLD_BACKEND=webgl is not a backend; use one of tensorflow, wasm, cpu/,
    );
  });
});
