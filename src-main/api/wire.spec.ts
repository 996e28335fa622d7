import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './wire';

describe('WebSocket frame codec', () => {
  it('round-trips typed arrays with their element type and values', () => {
    const frame = {
      frames: new Float32Array([0.5, -1.25, 3e-8]),
      pcm: new Int16Array([-32768, 0, 32767]),
      nested: [{ counts: new Uint32Array([1, 2, 3]) }],
      text: 'Ünfold',
    };
    const decoded = decodeFrame(encodeFrame(frame)) as typeof frame;
    expect(decoded.frames).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.frames)).toEqual(Array.from(frame.frames));
    expect(decoded.pcm).toBeInstanceOf(Int16Array);
    expect(Array.from(decoded.pcm)).toEqual([-32768, 0, 32767]);
    expect(decoded.nested[0]?.counts).toBeInstanceOf(Uint32Array);
    expect(decoded.text).toBe('Ünfold');
  });

  it('keeps only the viewed part of a shared buffer', () => {
    const whole = new Float32Array([1, 2, 3, 4, 5]);
    const view = whole.subarray(1, 3);
    expect(Array.from(decodeFrame(encodeFrame(view)) as Float32Array)).toEqual([2, 3]);
  });

  it('sends raw bytes, not numbers as text', () => {
    const big = new Float32Array(10_000).fill(Math.PI);
    expect(encodeFrame(big).byteLength).toBeLessThan(big.byteLength + 16);
  });
});
