import { describe, expect, it } from 'vitest';
import { freshArrays, pooledArrays } from './scratch-arrays';

describe('scratch arrays', () => {
  it('hands a given-back array out again, as a view of the length asked for', () => {
    const scratch = pooledArrays();
    const first = scratch.take(3000);
    expect(first).toHaveLength(3000);
    scratch.giveBack(first);
    const second = scratch.take(2500);
    expect(second).toHaveLength(2500);
    expect(second.buffer).toBe(first.buffer);
  });

  it('never hands out an array that is still taken', () => {
    const scratch = pooledArrays();
    const a = scratch.take(100);
    const b = scratch.take(100);
    expect(b.buffer).not.toBe(a.buffer);
    scratch.giveBack(a);
    const c = scratch.take(100);
    expect(c.buffer).toBe(a.buffer);
    expect(scratch.take(100).buffer).not.toBe(b.buffer);
  });

  it('keeps sizes apart by power of two', () => {
    const scratch = pooledArrays();
    const small = scratch.take(1000);
    scratch.giveBack(small);
    expect(scratch.take(5000).buffer).not.toBe(small.buffer);
  });

  it('skips null and arrays it did not make, and refuses a second give-back', () => {
    const scratch = pooledArrays();
    const foreign = new Float32Array(1024);
    scratch.giveBack(null, undefined, foreign);
    expect(scratch.take(1024).buffer).not.toBe(foreign.buffer);
    const taken = scratch.take(10);
    scratch.giveBack(taken);
    expect(() => scratch.giveBack(taken)).toThrow(/given back twice/);
  });

  it('fresh arrays are new and zeroed every time', () => {
    const a = freshArrays.take(8);
    a.fill(3);
    freshArrays.giveBack(a);
    const b = freshArrays.take(8);
    expect(b).not.toBe(a);
    expect([...b]).toEqual(new Array(8).fill(0));
  });
});
