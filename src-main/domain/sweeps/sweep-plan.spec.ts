import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_TASK_REGISTRY } from '../experiment-tasks';
import { fieldValues, withField } from './config-paths';
import { parseJsonText, parseSweepSpec } from './read-sweep-file';
import { expandSweep, gridPoints, randomSamples } from './sweep-plan';
import type { SweepSpecInput } from './sweep-spec';

const source = { label: '/labs/cells.json' };
const tasks = EXPERIMENT_TASK_REGISTRY;

function plan(input: SweepSpecInput, name = 'cells') {
  return expandSweep(parseSweepSpec(input, source.label), { name, tasks, source });
}

const words = { task: 'words', corpus: 'digits' } as const;

describe('sweep plans', () => {
  it('expands a grid in file order, the last field fastest, with stable padded names', () => {
    const expanded = plan({
      ...words,
      set: { 'training.epochs': 1 },
      grid: {
        'model.cell': ['rnn', 'lstm', 'gru'],
        'training.optimizer.learningRate': [0.01, 0.001],
        'training.seed': [1, 2],
      },
    });
    expect(expanded.runs).toHaveLength(12);
    expect(expanded.fields).toEqual([
      'model.cell',
      'training.optimizer.learningRate',
      'training.seed',
    ]);
    expect(expanded.runs.map((r) => r.experiment).slice(0, 3)).toEqual([
      'cells-01',
      'cells-02',
      'cells-03',
    ]);
    expect(expanded.runs[1]?.values).toEqual({
      'model.cell': 'rnn',
      'training.optimizer.learningRate': 0.01,
      'training.seed': 2,
    });
    const last = expanded.runs[11];
    expect(last?.experiment).toBe('cells-12');
    expect(last?.config.name).toBe('cells-12');
    expect(last?.config.corpus).toBe('digits');
    // "model.cell" reaches every layer of the preset's stack; fixed settings hold in every run.
    for (const cell of fieldValues(last?.config, 'model.layers.cell')) expect(cell).toBe('gru');
    expect(fieldValues(last?.config, 'training.optimizer.learningRate')).toEqual([0.001]);
    expect(expanded.runs.every((r) => (r.config.training as { epochs: number }).epochs === 1)).toBe(
      true,
    );
  });

  it('gives the same plan for the same file (random draws seeded), another for another seed', () => {
    const spec: SweepSpecInput = {
      ...words,
      grid: { 'model.cell': ['lstm', 'gru'] },
      random: {
        samples: 3,
        seed: 7,
        fields: {
          'training.optimizer.learningRate': { logUniform: [1e-4, 1e-1] },
          'model.units': { int: [8, 64] },
          'model.dropout': [0, 0.2],
        },
      },
    };
    const a = plan(spec);
    const b = plan(spec);
    expect(a).toEqual(b);
    expect(a.runs).toHaveLength(6);
    // Every grid point gets the same samples, so cells are compared on the same draws.
    expect(a.runs[0]?.values['model.units']).toBe(a.runs[3]?.values['model.units']);
    for (const run of a.runs) {
      const rate = run.values['training.optimizer.learningRate'] as number;
      expect(rate).toBeGreaterThanOrEqual(1e-4);
      expect(rate).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(run.values['model.units'])).toBe(true);
    }
    const other = plan({ ...spec, random: { ...spec.random!, seed: 8 } });
    expect(other.runs.map((r) => r.values)).not.toEqual(a.runs.map((r) => r.values));
  });

  it('names the file and the field of a mistake', () => {
    expect(() => parseSweepSpec({ ...words, grid: { 'model.cell': [] } }, source.label)).toThrow(
      '/labs/cells.json: grid["model.cell"]: a grid field needs at least one value',
    );
    expect(() => parseSweepSpec({ ...words }, source.label)).toThrow(
      'a sweep needs a grid or a random search',
    );
    expect(() => parseSweepSpec({ ...words, grid: { 'model..cell': [1] } }, source.label)).toThrow(
      'grid["model..cell"]: a field is a dotted path',
    );
    expect(() =>
      parseSweepSpec(
        { ...words, set: { 'training.seed': 1 }, grid: { 'training.seed': [1, 2] } },
        source.label,
      ),
    ).toThrow('"training.seed" is already in set');
    expect(() =>
      parseSweepSpec(
        { ...words, random: { samples: 2, fields: { x: { logUniform: [0, 1] } } } },
        source.label,
      ),
    ).toThrow('random.fields.x');
    // A field the task's schema does not know is named, not silently dropped.
    expect(() => plan({ ...words, grid: { 'training.learningRate': [0.1, 0.01] } })).toThrow(
      /cells\.json: field "training\.learningRate" is not a setting of the words task's config/,
    );
    // A value the schema refuses names the run and the config's field.
    expect(() => plan({ ...words, grid: { 'model.cell': ['lstm', 'tree'] } })).toThrow(
      /cells\.json: run 2 \(model\.cell="tree"\) is not a valid words experiment: .*model\.layers\.0\.cell/,
    );
    expect(() => plan({ ...words, preset: 'nope', grid: { seed: [1] } })).toThrow(
      'preset "nope" is not one of',
    );
    expect(() => parseJsonText('{\n  "corpus": "digits",\n  grid: {}\n}', 'sweep.json')).toThrow(
      'sweep.json is not valid JSON at line 3, column 3',
    );
  });

  it("expands the README's example into the issue's 135 runs", async () => {
    const readme = await readFile(join(import.meta.dirname, 'README.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const expanded = plan(parseJsonText(example, 'README.md') as SweepSpecInput);
    expect(expanded.runs).toHaveLength(135);
    expect(expanded.runs[134]?.experiment).toBe('cells-135');
  });

  it('starts from an inline config as well as a preset', () => {
    const config = {
      task: 'sentiment',
      data: { train: { splits: ['train'] }, dev: null, test: { splits: ['train'] } },
      words: { embeddingSize: 8 },
      model: { kind: 'cnn', widths: [2], filters: 4 },
      training: { epochs: 1, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
    };
    const expanded = plan({ corpus: 'reviews', config, grid: { 'model.filters': [2, 4] } }, 'cnn');
    expect(expanded.task).toBe('sentiment');
    expect(expanded.runs.map((r) => (r.config.model as { filters: number }).filters)).toEqual([
      2, 4,
    ]);
    expect(expanded.spec.config).toEqual(config);
  });
});

describe('config paths and draws', () => {
  it('sets through lists (every element, or one by index) without touching the input', () => {
    const config = { model: { layers: [{ units: 1 }, { units: 2 }] } };
    expect(withField(config, 'model.units', 5)).toEqual({
      model: { layers: [{ units: 5 }, { units: 5 }] },
    });
    expect(withField(config, 'model.layers.1.units', 7)).toEqual({
      model: { layers: [{ units: 1 }, { units: 7 }] },
    });
    expect(config.model.layers[0]?.units).toBe(1);
  });

  it('grids and samples', () => {
    expect(gridPoints({ a: [1, 2], b: ['x'] })).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'x' },
    ]);
    const samples = randomSamples({ samples: 50, seed: 3, fields: { n: { int: [1, 3] } } });
    expect(new Set(samples.map((s) => s.n))).toEqual(new Set([1, 2, 3]));
  });
});
