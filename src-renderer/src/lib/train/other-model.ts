/**
 * "Compare with the other model": the same experiment config (its data split, words and
 * training settings) with the model of another kind (the recurrent encoder and Kim's CNN),
 * taken from the task's preset of that kind, under a name of its own.
 */
import type { ExperimentPreset } from '@api/experiments';
import { formEdits } from './key-settings';
import type { Json } from './json-object';
import { modelKindOf } from './model-choices';

/** The first preset of the config's task whose model is of another kind, or null for none. */
export function otherModelPreset(
  config: Readonly<Json>,
  presets: readonly ExperimentPreset[],
): ExperimentPreset | null {
  const task = config.task;
  if (typeof task !== 'string' || !formEdits(task)) return null;
  const kind = modelKindOf(task, config.model);
  return (
    presets.find(
      (preset) => preset.task === task && modelKindOf(task, preset.config.model) !== kind,
    ) ?? null
  );
}

/** `wanted`, or `wanted-2`, `wanted-3`, ... whichever is not taken. */
export function freeName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  let n = 2;
  while (taken.has(`${wanted}-${n}`)) n++;
  return `${wanted}-${n}`;
}

/**
 * The config with the preset's model, named after the config and the preset's model kind
 * ("reviews-bilstm" -> "reviews-bilstm-cnn"); every other setting stays.
 */
export function withOtherModel(
  config: Readonly<Json>,
  preset: ExperimentPreset,
  taken: ReadonlySet<string>,
): Json {
  const kind = modelKindOf(preset.task, preset.config.model);
  return {
    ...config,
    name: freeName(`${String(config.name)}-${kind}`, taken),
    model: preset.config.model,
  };
}
