/**
 * The generation form's fields as settings for lm:generate, or what is wrong with them: number
 * inputs give a number, or null (or undefined) when empty. An empty top-k or top-p keeps every
 * unit; an empty seed is 1. Main checks them again (the model knows its vocabulary size).
 */
import { MAX_GENERATED_UNITS } from '@api/lm';

export interface SamplingFields {
  units: number | null | undefined;
  temperature: number | null | undefined;
  topK: number | null | undefined;
  topP: number | null | undefined;
  seed: number | null | undefined;
}

export interface SamplingValues {
  units: number;
  temperature: number;
  topK: number | null;
  topP: number | null;
  seed: number;
}

export type SamplingCheck = { ok: true; value: SamplingValues } | { ok: false; error: string };

const given = (value: number | null | undefined): value is number =>
  typeof value === 'number' && !Number.isNaN(value);

export function samplingSettings(fields: SamplingFields, defaultUnits: number): SamplingCheck {
  const units = given(fields.units) ? fields.units : defaultUnits;
  if (!Number.isInteger(units) || units < 1 || units > MAX_GENERATED_UNITS)
    return {
      ok: false,
      error: `How many to generate: a whole number from 1 to ${MAX_GENERATED_UNITS.toLocaleString('en')}.`,
    };
  if (!given(fields.temperature) || !Number.isFinite(fields.temperature) || fields.temperature < 0)
    return { ok: false, error: 'The temperature is 0 (always the most probable) or more.' };
  const topK = given(fields.topK) ? fields.topK : null;
  if (topK !== null && (!Number.isInteger(topK) || topK < 1))
    return { ok: false, error: 'Top-k is a whole number from 1, or empty for all.' };
  const topP = given(fields.topP) ? fields.topP : null;
  if (topP !== null && !(topP > 0 && topP <= 1))
    return { ok: false, error: 'Top-p is above 0 and at most 1, or empty for all.' };
  const seed = given(fields.seed) ? fields.seed : 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)
    return { ok: false, error: 'The seed is a whole number from 0.' };
  return { ok: true, value: { units, temperature: fields.temperature, topK, topP, seed } };
}
