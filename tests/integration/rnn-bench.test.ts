/**
 * `unfold bench rnn --quick` (what `npm run bench:rnn -- --quick` runs): the report's shape, and
 * every figure a finite positive number (speed itself is the bench's business, not a test's);
 * the flags' checks; the table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBenchCommands } from '../../src-main/cli/commands/bench-command';
import type { RnnBenchReport } from '../../src-main/domain/bench/rnn-bench-report';
import { RNN_BENCH_MODELS } from '../../src-main/domain/bench/rnn-bench-report';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import { runCli } from '../support/cli';
import { runInProcessCli } from '../support/in-process-cli';

const positive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** `unfold bench rnn ARGS` in this process (no `--progress`: that is the whole CLI's). */
const run = (args: string[]) => runInProcessCli(registerBenchCommands, ['bench', 'rnn', ...args]);

describe('unfold bench rnn --quick', () => {
  let report: RnnBenchReport;
  let log: string[];
  const native = loadRnnNative().addon !== null;

  beforeAll(async () => {
    // The built CLI, as `npm run bench:rnn -- --quick` runs it.
    const result = await runCli(['bench', 'rnn', '--quick', '--json', '--progress', 'plain']);
    expect(result.code, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as RnnBenchReport;
    log = result.stderr.split('\n');
  });

  it('covers every cell at every thread count, without PyTorch unless asked', () => {
    expect(report.quick).toBe(true);
    expect(report.settings).toMatchObject({ reps: 2, warmup: 1, steps: 2, threads: [1, 2] });
    expect(report.sideBySide.map((m) => m.id)).toEqual(RNN_BENCH_MODELS.map((m) => m.id));
    expect(report.pytorch).toEqual({ available: false, reason: 'a quick run without --torch' });
    expect(report.unfold.kernel).toBe(native ? 'native' : 'tfjs');
    expect(report.machine.loadBefore).toHaveLength(3);
    expect(report.machine.loadAfter).toHaveLength(3);
    expect(report.textWorkloads).toContain('npm run bench:text');
    for (const model of report.sideBySide) {
      for (const summary of [model.training, model.inference]) {
        expect(Object.keys(summary)).toEqual(['x1', 'x2']);
        for (const figures of Object.values(summary)) {
          expect(positive(figures.unfold), JSON.stringify(figures)).toBe(true);
          expect(figures).toMatchObject({ pytorch: null, ratio: null });
        }
      }
      // Streaming is for the unidirectional stacks only.
      if (model.id === 'b-bilstm') expect(model.streamingMsPerFrame).toBeNull();
      else
        for (const figures of Object.values(model.streamingMsPerFrame ?? {}))
          expect(positive(figures.unfold)).toBe(true);
    }
  });

  it('keeps every measurement, interleaved, with the load after it', () => {
    const sides = native ? ['unfold x1', 'unfold x2'] : ['unfold'];
    for (const model of report.models) {
      expect(model.sizes).toMatchObject({ units: 16, batch: 4, time: 10 });
      const parts = [
        model.training,
        model.inference,
        ...(model.streaming ? [model.streaming] : []),
      ];
      for (const part of parts) {
        expect(part.measurements.map((m) => `${String(m.rep)} ${String(m.side)}`)).toEqual([
          ...sides.map((side) => `1 ${side}`),
          ...sides.map((side) => `2 ${side}`),
        ]);
        for (const m of part.measurements) {
          expect(positive(m.framesPerSecond), JSON.stringify(m)).toBe(true);
          expect(m.batches).toBeGreaterThan(0);
          expect(typeof m.load1 === 'number' && Number.isFinite(m.load1)).toBe(true);
        }
      }
      if (native) expect(model.streaming?.unfoldPath ?? 'native session').toBe('native session');
    }
    expect(log.some((line) => line.includes('a-lstm train: rep 1: unfold'))).toBe(true);
    expect(report.command).toBe('unfold bench rnn --quick --json --progress plain');
    expect(report.profile).toBeNull();
  });
});

describe('unfold bench rnn flags and table', () => {
  it('refuses fewer than 5 repetitions outside --quick, an unknown model and --torch alone', async () => {
    for (const [args, message] of [
      [['--reps', '3', '--skip-torch'], '--reps takes a whole number of at least 5'],
      [['--quick', '--models', 'a-lstm,z-net'], 'No model z-net'],
      [['--torch'], '--torch goes with --quick'],
      [['--quick', '--torch', '--skip-torch'], 'contradict'],
      [['--quick', '--threads', '1,0'], '--threads takes a whole number of at least 1'],
    ] as const) {
      const result = await run([...args]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('BAD_ARGUMENT');
      expect(result.stderr).toContain(message);
    }
  });

  it('prints one line per model, measure and thread count, and the profile when asked', async () => {
    const result = await run(['--quick', '--models', 'b-bilstm', '--threads', '1', '--profile']);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toContain('PyTorch not run (a quick run without --torch)');
    const rows = lines.filter((line) => line.startsWith('b-bilstm'));
    // A bidirectional layer cannot stream: training and inference only.
    expect(rows.map((row) => /(train|infer|stream) \S+/.exec(row)?.[0])).toEqual([
      'train frames/s',
      'infer frames/s',
    ]);
    for (const row of rows) expect(Number(row.trim().split(/\s+/).at(-3))).toBeGreaterThan(0);
    expect(lines.some((line) => /^profile b-bilstm: \S+ \d+ ms \(\d+ calls\)$/.test(line))).toBe(
      true,
    );
  });
});
