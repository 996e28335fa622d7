import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  addProgressOption,
  chooseProgressStyle,
  COMMANDS_WITH_PROGRESS,
  createPlainProgress,
} from './progress-bar';

function plain(): {
  lines: string[];
  clock: { t: number };
  progress: ReturnType<typeof createPlainProgress>;
} {
  const lines: string[] = [];
  const clock = { t: 0 };
  const progress = createPlainProgress({ write: (line) => lines.push(line), now: () => clock.t });
  return { lines, clock, progress };
}

describe('plain progress lines', () => {
  it('prints the first update, then one line per 5 percent, not one per update', () => {
    const { lines, progress } = plain();
    for (let i = 1; i <= 396; i++) progress.update(i / 396, `features: ${i}/396`);
    progress.stop();
    expect(lines[0]).toBe('0% | features: 1/396');
    expect(lines.at(-1)).toBe('100% | features: 396/396');
    // 0%, 5%, ..., 100%: 21 lines for 396 updates.
    expect(lines).toHaveLength(21);
    expect(lines.map((line) => Number(line.split('%')[0]))).toEqual(
      Array.from({ length: 21 }, (_, i) => i * 5),
    );
  });

  it('prints every few seconds when the fraction moves slowly or is unknown', () => {
    const { lines, clock, progress } = plain();
    progress.update(null, 'epoch 1');
    clock.t = 1_000;
    progress.update(null, 'epoch 1 batch 2');
    clock.t = 6_000;
    progress.update(null, 'epoch 1 batch 3');
    clock.t = 7_000;
    progress.update(0.011, 'slow');
    clock.t = 8_000;
    progress.update(0.012, 'slower');
    clock.t = 12_500;
    progress.update(0.013, 'slowest');
    expect(lines).toEqual(['epoch 1', 'epoch 1 batch 3', '1% | slow', '1% | slowest']);
  });

  it('ends with the last state it was given', () => {
    const { lines, progress } = plain();
    progress.update(0.5, 'half');
    progress.update(0.52, 'a bit more');
    progress.stop();
    expect(lines).toEqual(['50% | half', '52% | a bit more']);
  });
});

describe('the progress style', () => {
  it('is a bar on a terminal, plain lines elsewhere, none for JSON, unless asked', () => {
    expect(chooseProgressStyle(undefined, false, true)).toBe('bar');
    expect(chooseProgressStyle(undefined, false, false)).toBe('plain');
    expect(chooseProgressStyle(undefined, true, true)).toBe('none');
    expect(chooseProgressStyle('plain', true, true)).toBe('plain');
    expect(chooseProgressStyle('bar', false, false)).toBe('bar');
    expect(chooseProgressStyle('none', false, true)).toBe('none');
  });

  it('is an option of each command that runs long work, and of no other', () => {
    const program = new Command();
    const names = new Set(COMMANDS_WITH_PROGRESS.flatMap((path) => path.split(' ')));
    const add = (parent: Command, path: string[]): void => {
      const [head, ...rest] = path;
      if (!head) return;
      const child = parent.commands.find((c) => c.name() === head) ?? parent.command(head);
      add(child, rest);
    };
    for (const path of COMMANDS_WITH_PROGRESS) add(program, path.split(' '));
    program.command('doctor');
    addProgressOption(program);
    const withOption = (command: Command): string[] =>
      command.commands.flatMap((child) => [
        ...(child.options.some((o) => o.long === '--progress') ? [child.name()] : []),
        ...withOption(child),
      ]);
    expect(withOption(program).sort()).toEqual(
      COMMANDS_WITH_PROGRESS.map((path) => path.split(' ').at(-1)).sort(),
    );
    expect(names.has('doctor')).toBe(false);
    expect(() => addProgressOption(new Command())).toThrow(/there is no command "unfold selftest"/);
  });
});
