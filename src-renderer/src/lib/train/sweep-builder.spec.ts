import { describe, expect, it } from 'vitest';
import {
  buildSweep,
  configLeafPaths,
  defaultSweepName,
  parseSweepJson,
  suggestedFields,
} from './sweep-builder';

const base = {
  name: 'digits-lstm',
  corpus: 'digits',
  task: 'words',
  model: { layers: [{ cell: 'lstm', units: 32 }], dropout: 0 },
  training: { epochs: 3, optimizer: { learningRate: 0.01 } },
};

describe('the sweep builder', () => {
  it('lists every scalar setting as a dotted path, list elements by index', () => {
    expect(configLeafPaths(base)).toEqual([
      'name',
      'corpus',
      'task',
      'model.layers.0.cell',
      'model.layers.0.units',
      'model.dropout',
      'training.epochs',
      'training.optimizer.learningRate',
    ]);
    const fields = suggestedFields(base);
    expect(fields.slice(0, 2)).toEqual(['model.cell', 'model.units']);
    expect(fields).not.toContain('name');
    expect(fields).toContain('model.layers.0.units');
    expect(new Set(fields).size).toBe(fields.length);
  });

  it('builds a grid sweep over the form config, values typed as JSON where they read as JSON', () => {
    const built = buildSweep(base, [
      { field: 'model.cell', values: 'lstm, gru, rnn' },
      { field: ' training.optimizer.learningRate ', values: '0.01,0.003' },
    ]);
    expect(built.problems).toEqual([]);
    expect(built.runs).toBe(6);
    const { name: _n, ...config } = base;
    expect(built.spec).toEqual({
      corpus: 'digits',
      task: 'words',
      config,
      grid: {
        'model.cell': ['lstm', 'gru', 'rnn'],
        'training.optimizer.learningRate': [0.01, 0.003],
      },
    });
  });

  it('names the problems: no field, no values, a field twice', () => {
    expect(buildSweep(base, []).problems).toEqual(['choose at least one field to vary']);
    expect(buildSweep(base, [{ field: 'model.units', values: ' , ' }]).problems).toEqual([
      'model.units: give at least one value',
    ]);
    expect(
      buildSweep(base, [
        { field: 'model.units', values: '8' },
        { field: 'model.units', values: '16' },
      ]).problems,
    ).toEqual(['model.units is varied twice']);
    expect(buildSweep(base, [{ field: '', values: '1' }]).problems).toEqual([
      'a row has values but no field',
    ]);
  });

  it('reads a pasted sweep file, or says why not', () => {
    expect(parseSweepJson('{"corpus":"x","grid":{}}')).toEqual({ spec: { corpus: 'x', grid: {} } });
    expect(parseSweepJson('[1]')).toEqual({ problem: 'a sweep file is a JSON object' });
    expect(parseSweepJson('{oops')).toMatchObject({
      problem: expect.stringMatching(/^not valid JSON/),
    });
    expect(defaultSweepName('digits-lstm')).toBe('digits-lstm-sweep');
    expect(defaultSweepName(undefined)).toBe('run-sweep');
  });
});
