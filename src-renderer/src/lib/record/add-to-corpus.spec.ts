import { describe, expect, it } from 'vitest';
import type { CorpusSummary } from '@api/corpus';
import { requests } from '@api/contract';
import { addTakeRequest, corporaForTakes } from './add-to-corpus';

function summary(name: string, kind: CorpusSummary['kind']): CorpusSummary {
  return {
    name,
    displayName: name,
    kind,
    items: 0,
    speakers: 0,
    splits: {},
    totalSeconds: 0,
    modified: null,
    revision: 0,
    validity: { state: 'unchecked', problems: 0 },
  };
}

const form = {
  corpus: 'digits',
  path: 'recordings/2026-01-01T10-00-00Z.wav',
  label: '  yes  ',
  speaker: 'me',
  split: '',
};

describe('adding a take to a corpus', () => {
  it('offers speech corpora only, by name', () => {
    const list = [summary('zz', 'speech'), summary('news', 'text'), summary('aa', 'speech')];
    expect(corporaForTakes(list).map((c) => c.name)).toEqual(['aa', 'zz']);
  });

  it('builds the corpus:add-recording request, which the channel accepts', () => {
    const result = addTakeRequest(form);
    expect(result).toEqual({
      ok: true,
      request: { corpus: 'digits', path: form.path, text: 'yes', speaker: 'me' },
    });
    if (!result.ok) return;
    expect(requests['corpus:add-recording'].params.safeParse(result.request).success).toBe(true);
    const withSplit = addTakeRequest({ ...form, split: 'test' });
    expect(withSplit.ok && withSplit.request.split).toBe('test');
  });

  it('says what is missing', () => {
    expect(addTakeRequest({ ...form, corpus: '' })).toEqual({
      ok: false,
      message: 'Choose a speech corpus.',
    });
    expect(addTakeRequest({ ...form, label: ' ' })).toMatchObject({ ok: false });
    expect(addTakeRequest({ ...form, speaker: '' })).toMatchObject({ ok: false });
    expect(addTakeRequest({ ...form, path: '' })).toMatchObject({ ok: false });
  });
});
