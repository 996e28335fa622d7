/**
 * The settings the Train view edits directly, read from and written back into a preset's
 * experiment config (kept as plain JSON here: the job validates it with the domain schema).
 * Every layer gets the same cell, units and direction: the presets stack identical layers.
 */

export const CELL_CHOICES = ['rnn', 'lstm', 'peephole', 'gru'] as const;
export type CellChoice = (typeof CELL_CHOICES)[number];

export interface KeySettings {
  name: string;
  cell: CellChoice;
  layers: number;
  units: number;
  bidirectional: boolean;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Truncated BPTT window in frames, or null for full BPTT (word models always use full). */
  bpttWindow: number | null;
}

type Json = Record<string, unknown>;

function objectAt(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function numberAt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function readKeySettings(config: Readonly<Json>): KeySettings {
  const model = objectAt(config.model);
  const layers = Array.isArray(model.layers) ? model.layers.map(objectAt) : [];
  const first = layers[0] ?? {};
  const training = objectAt(config.training);
  const optimizer = objectAt(training.optimizer);
  const bptt = objectAt(training.bptt);
  const cell = (CELL_CHOICES as readonly unknown[]).includes(first.cell)
    ? (first.cell as CellChoice)
    : 'lstm';
  return {
    name: typeof config.name === 'string' ? config.name : 'experiment',
    cell,
    layers: Math.max(1, layers.length),
    units: numberAt(first.units, 64),
    bidirectional: first.bidirectional !== undefined,
    epochs: numberAt(training.epochs, 10),
    batchSize: numberAt(training.batchSize, 16),
    learningRate: numberAt(optimizer.learningRate, 0.001),
    seed: numberAt(config.seed, 1),
    bpttWindow: bptt.kind === 'truncated' ? numberAt(bptt.window, 100) : null,
  };
}

/** Whether a task's config takes a truncated BPTT window (word models label whole utterances). */
export function supportsTruncatedBptt(config: Readonly<Json>): boolean {
  return config.task === 'phones';
}

/** A copy of `config` with the settings written in. */
export function applyKeySettings(config: Readonly<Json>, settings: KeySettings): Json {
  const model = objectAt(config.model);
  const training = objectAt(config.training);
  const layer: Json = { cell: settings.cell, units: settings.units };
  if (settings.bidirectional) layer.bidirectional = 'concat';
  const nextTraining: Json = {
    ...training,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: { ...objectAt(training.optimizer), learningRate: settings.learningRate },
  };
  if (supportsTruncatedBptt(config)) {
    nextTraining.bptt =
      settings.bpttWindow === null
        ? { kind: 'full' }
        : { kind: 'truncated', window: settings.bpttWindow };
  }
  return {
    ...config,
    name: settings.name,
    seed: settings.seed,
    model: {
      ...model,
      layers: Array.from({ length: settings.layers }, () => ({ ...layer })),
    },
    training: nextTraining,
  };
}

/** Config fields that differ between two experiments, as dotted paths with both values. */
export function configDifferences(
  a: Readonly<Json>,
  b: Readonly<Json>,
  prefix = '',
): { path: string; a: string; b: string }[] {
  const out: { path: string; a: string; b: string }[] = [];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const va = a[key];
    const vb = b[key];
    const path = prefix ? `${prefix}.${key}` : key;
    const bothObjects =
      typeof va === 'object' &&
      va !== null &&
      !Array.isArray(va) &&
      typeof vb === 'object' &&
      vb !== null &&
      !Array.isArray(vb);
    if (bothObjects) out.push(...configDifferences(va as Json, vb as Json, path));
    else if (JSON.stringify(va) !== JSON.stringify(vb))
      out.push({ path, a: JSON.stringify(va) ?? '—', b: JSON.stringify(vb) ?? '—' });
  }
  return out;
}
