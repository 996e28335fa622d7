import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toErrorData, UnfoldError } from './errors';

describe('toErrorData', () => {
  it('does not repeat a system error’s code in its message ("ENOENT: ENOENT: ...")', async () => {
    const missing = join(import.meta.dirname, 'no such folder');
    const error: unknown = await readdir(missing).catch((e: unknown) => e);
    const data = toErrorData(error);
    expect(data.code).toBe('ENOENT');
    expect(data.message).toBe(`no such file or directory, scandir '${missing}'`);
    // Shown as `code: message` in the jobs panel and `error [code]: message` by the CLI.
    expect(`${data.code}: ${data.message}`).not.toMatch(/^(\w+): \1:/);
  });

  it('keeps other messages whole', () => {
    const coded = Object.assign(new Error('the ENOENT case is elsewhere'), { code: 'ENOENT' });
    expect(toErrorData(coded)).toEqual({ code: 'ENOENT', message: 'the ENOENT case is elsewhere' });
    expect(toErrorData(new UnfoldError('BAD', 'BAD: said twice on purpose'))).toEqual({
      code: 'BAD',
      message: 'BAD: said twice on purpose',
    });
    expect(toErrorData(new Error('plain'))).toEqual({ code: 'INTERNAL', message: 'plain' });
    expect(toErrorData('a string')).toEqual({ code: 'INTERNAL', message: 'a string' });
  });
});
