import { describe, expect, it } from 'vitest';
import type { ExperimentListItem, ExperimentTask } from '@api/experiments';
import type { CorpusCreatedResult } from '@api/corpus';
import { summarizeCorpusJob } from './corpus-job-summary';
import { g2pChoices } from './g2p-choices';

function item(name: string, task: ExperimentTask, created: string, trained: boolean) {
  const experiment: ExperimentListItem = {
    name,
    task,
    corpus: 'cmudict',
    created,
    metrics: trained ? { training: { epochs: 3 } } : {},
    status: trained ? 'done' : 'incomplete',
    epochs: trained ? 3 : null,
  };
  return experiment;
}

describe('G2P models in the synthesis dialog', () => {
  it('offers trained seq2seq experiments, newest first', () => {
    const list = [
      item('old-g2p', 'seq2seq', '2026-01-01T00:00:00Z', true),
      item('tagger', 'pos', '2026-03-01T00:00:00Z', true),
      item('half-trained', 'seq2seq', '2026-04-01T00:00:00Z', false),
      item('new-g2p', 'seq2seq', '2026-02-01T00:00:00Z', true),
    ];
    expect(g2pChoices(list)).toEqual(['new-g2p', 'old-g2p']);
  });

  it('says in the job summary which words a G2P model pronounced', () => {
    const result: CorpusCreatedResult = {
      corpus: 'sentences',
      kind: 'speech',
      items: 2,
      totalSeconds: 3,
      skipped: [],
      unmatched: 0,
    };
    expect(summarizeCorpusJob('corpus-synth-sentences', result)).toBe(
      'sentences: 2 utterances, 3.0 s',
    );
    expect(
      summarizeCorpusJob('corpus-synth-sentences', {
        ...result,
        g2p: { experiment: 'g2p', words: ['dobado', 'zorblax'] },
      }),
    ).toBe('sentences: 2 utterances, 3.0 s; G2P g2p pronounced dobado, zorblax');
  });
});
