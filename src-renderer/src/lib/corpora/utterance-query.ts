import type { UtteranceFilterData } from '@api/corpus';

/** The filter bar's fields as the user typed them (every field a string; '' is "any"). */
export interface FilterFields {
  search: string;
  label: string;
  speaker: string;
  split: string;
  minDuration: string;
  maxDuration: string;
  /** '', 'yes' or 'no'. */
  alignment: string;
}

export const EMPTY_FILTER: FilterFields = {
  search: '',
  label: '',
  speaker: '',
  split: '',
  minDuration: '',
  maxDuration: '',
  alignment: '',
};

function seconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** What `corpus:utterances` is asked for: only the fields that restrict anything. */
export function filterQuery(fields: FilterFields): UtteranceFilterData {
  const query: UtteranceFilterData = {};
  const search = fields.search.trim();
  if (search) query.search = search;
  if (fields.label !== '') query.label = fields.label;
  if (fields.speaker !== '') query.speaker = fields.speaker;
  if (fields.split !== '') query.split = fields.split;
  const min = seconds(fields.minDuration);
  const max = seconds(fields.maxDuration);
  if (min !== undefined) query.minDuration = min;
  if (max !== undefined) query.maxDuration = max;
  if (fields.alignment === 'yes') query.hasAlignment = true;
  if (fields.alignment === 'no') query.hasAlignment = false;
  return query;
}

/** A duration field that is neither empty nor a number of seconds, for the field's error. */
export function durationError(text: string): string | null {
  return text.trim() === '' || seconds(text) !== undefined ? null : 'seconds, e.g. 0.5';
}

/** A key that changes exactly when the query does (pages are cached per key). */
export function queryKey(query: UtteranceFilterData): string {
  return JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
}
