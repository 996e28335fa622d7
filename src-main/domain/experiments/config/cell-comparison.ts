/**
 * The comparison experiments of an experiment: the same config with every recurrent layer's cell
 * replaced by an Elman RNN, an LSTM or a GRU (same units, layers and everything else), named
 * `<name>-elman`, `<name>-lstm`, `<name>-gru`. The Inside view trains the missing ones and draws
 * their gradients through time beside the model's own. No Node import: the renderer derives them.
 */
import type { LayerConfig } from '../../rnn/model-config';
import {
  experimentConfigProblem,
  ExperimentConfigSchema,
  type ExperimentConfig,
} from './experiment-config';
import { BASE_CELL_CHOICES, BASE_CELL_LABELS, type BaseCellChoice } from './model-choices';

/** The cells compared: the base cells a form offers (Elman, LSTM, GRU). */
export const COMPARISON_CELLS = BASE_CELL_CHOICES;
export type ComparisonCell = BaseCellChoice;

/** How a comparison cell names its experiment (a suffix) and itself (a legend). */
export const COMPARISON_CELL_NAMES: Readonly<
  Record<ComparisonCell, { suffix: string; label: string }>
> = {
  rnn: { suffix: 'elman', label: BASE_CELL_LABELS.rnn },
  lstm: { suffix: 'lstm', label: BASE_CELL_LABELS.lstm },
  gru: { suffix: 'gru', label: BASE_CELL_LABELS.gru },
};

/** `tiny` -> `tiny-elman`. */
export function comparisonName(name: string, cell: ComparisonCell): string {
  return `${name}-${COMPARISON_CELL_NAMES[cell].suffix}`;
}

/** One comparison experiment: its config, and what of the original's layers it could not keep. */
export interface CellSibling {
  cell: ComparisonCell;
  name: string;
  config: ExperimentConfig;
  /** What was dropped with the cell, and why ("layer 1: the recurrent projection (…)"). */
  dropped: string[];
}

export type CellComparison =
  | {
      ok: true;
      /** The cell the experiment itself stands for (every layer that cell), null if none. */
      own: ComparisonCell | null;
      /** The siblings to compare with, in COMPARISON_CELLS order (not the experiment's own cell). */
      siblings: CellSibling[];
      /** Siblings whose config would not be valid, with the schema's reason. */
      refused: { cell: ComparisonCell; name: string; problem: string }[];
    }
  | { ok: false; problem: string };

/** A config's recurrent layers (the encoder's, for seq2seq); none for a convolution encoder. */
export function recurrentLayersOf(config: ExperimentConfig): LayerConfig[] {
  return 'layers' in config.model ? config.model.layers : [];
}

/** A layer with another cell, and what it loses: peepholes, a projection, an Elman activation. */
function layerWithCell(
  layer: LayerConfig,
  cell: ComparisonCell,
  index: number,
): { layer: LayerConfig; dropped: string[] } {
  const { projection, activation, ...kept } = layer;
  const where = `layer ${index + 1}`;
  const dropped: string[] = [];
  if (layer.cell === 'peephole')
    dropped.push(`${where}: the peephole connections (only the peephole LSTM has them)`);
  if (projection !== undefined)
    dropped.push(`${where}: the recurrent projection to ${projection} (only the LSTMP has one)`);
  if (activation !== undefined && cell !== 'rnn')
    dropped.push(`${where}: the ${activation} activation (only the Elman RNN takes one)`);
  return {
    layer: { ...kept, cell, ...(activation !== undefined && cell === 'rnn' ? { activation } : {}) },
    dropped,
  };
}

/**
 * The comparison experiments of a config (as config.json holds it): one per comparison cell but
 * the experiment's own, each checked against the task's schema.
 */
export function cellComparison(value: unknown): CellComparison {
  const parsed = experimentConfigProblem(ExperimentConfigSchema, value);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const config = parsed.config;
  const layers = recurrentLayersOf(config);
  if (layers.length === 0)
    return {
      ok: false,
      problem: `${config.name} has no recurrent layers (a convolution encoder): there is no cell to compare.`,
    };
  const own = COMPARISON_CELLS.find((cell) => layers.every((l) => l.cell === cell)) ?? null;
  const siblings: CellSibling[] = [];
  const refused: { cell: ComparisonCell; name: string; problem: string }[] = [];
  for (const cell of COMPARISON_CELLS) {
    if (cell === own) continue;
    const name = comparisonName(config.name, cell);
    const changed = layers.map((layer, i) => layerWithCell(layer, cell, i));
    const candidate = {
      ...config,
      name,
      model: { ...config.model, layers: changed.map((c) => c.layer) },
    };
    const checked = experimentConfigProblem(ExperimentConfigSchema, candidate);
    if (checked.ok)
      siblings.push({
        cell,
        name,
        config: checked.config,
        dropped: changed.flatMap((c) => c.dropped),
      });
    else refused.push({ cell, name, problem: checked.problem });
  }
  return { ok: true, own, siblings, refused };
}
