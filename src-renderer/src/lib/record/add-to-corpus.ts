/**
 * Adding a take of the Record view to a corpus: which corpora can take it, and the request
 * (`corpus:add-recording`, the same one the Corpora view's prompted session sends).
 */

import type { RequestParams } from '@api/contract';
import type { CorpusSummary } from '@api/corpus';

export interface AddTakeForm {
  corpus: string;
  /** The take's WAV, relative to the data folder. */
  path: string;
  label: string;
  speaker: string;
  /** Empty: the corpus's first split. */
  split: string;
}

export type AddTakeRequest = RequestParams<'corpus:add-recording'>;

/** Speech corpora only: a take cannot go into a text corpus. Sorted by display name. */
export function corporaForTakes(corpora: readonly CorpusSummary[]): CorpusSummary[] {
  return corpora
    .filter((c) => c.kind === 'speech')
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The request for the form, or what the user has to fill in first. */
export function addTakeRequest(
  form: AddTakeForm,
): { ok: true; request: AddTakeRequest } | { ok: false; message: string } {
  const label = form.label.replace(/\s+/g, ' ').trim();
  const speaker = form.speaker.trim();
  if (form.path === '') return { ok: false, message: 'Record or open a take first.' };
  if (form.corpus === '') return { ok: false, message: 'Choose a speech corpus.' };
  if (label === '') return { ok: false, message: 'Type the label: what was said in the take.' };
  if (speaker === '') return { ok: false, message: 'Type the speaker: who said it.' };
  return {
    ok: true,
    request: {
      corpus: form.corpus,
      path: form.path,
      text: label,
      speaker,
      ...(form.split !== '' ? { split: form.split } : {}),
    },
  };
}
