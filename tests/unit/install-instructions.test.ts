import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');

/** The package names of the first `apt-get install` command in a shell text (flags dropped). */
function aptPackages(text: string): string[] {
  const command = /apt-get install((?:\\\n|[^\n])*)/.exec(text)?.[1] ?? '';
  return command
    .replace(/\\\n/g, ' ')
    .replace(/>\/dev\/null.*/, '')
    .split(/\s+/)
    .filter((word) => word !== '' && !word.startsWith('-'))
    .sort();
}

describe('the README install instructions', () => {
  it('give an apt command that runs unattended for root (no sudo) and for a sudo user', () => {
    const lines = readme.split('\n').filter((line) => /apt-get (install|update)/.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line.startsWith('$(command -v sudo) apt-get ')).toBe(true);
    const install = lines.find((line) => line.includes('apt-get install'));
    expect(install?.split(/\s+/)).toContain('-y');
  });

  it('list the same Debian packages as the CI script', () => {
    const fromReadme = aptPackages(readme);
    expect(fromReadme.length).toBeGreaterThan(5);
    expect(fromReadme).toEqual(aptPackages(ci));
  });
});
