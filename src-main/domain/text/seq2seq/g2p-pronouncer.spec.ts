import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiments/config/experiment-config';
import { presetConfig } from '../../experiments/presets';
import { checkG2pExperiment } from './g2p-pronouncer';

const G2P_LEVELS = { levels: { source: 'characters', target: 'tokens' } } as const;

describe('which experiments count as G2P models', () => {
  it('accepts a seq2seq experiment scored as G2P that reads characters and writes tokens', () => {
    const config = parseExperimentConfig(presetConfig('seq2seq-g2p-lstm', 'cmudict', 'g2p'));
    expect(() => checkG2pExperiment('g2p', config, G2P_LEVELS)).not.toThrow();
  });

  it('refuses another task, another scoring and other levels, saying which', () => {
    const refusal = (why: string) =>
      expect.objectContaining({ code: 'G2P_NOT_G2P', message: expect.stringContaining(why) });
    const pairs = parseExperimentConfig(presetConfig('seq2seq-gru', 'pairs', 'mt'));
    expect(() => checkG2pExperiment('mt', pairs, null)).toThrow(
      refusal('mt is not a grapheme-to-phoneme experiment: it is scored as "translation"'),
    );
    const lm = parseExperimentConfig(presetConfig('lm-word-lstm', 'ptb', 'lm'));
    expect(() => checkG2pExperiment('lm', lm, null)).toThrow(refusal('it is a lm experiment'));
    const g2p = parseExperimentConfig(presetConfig('seq2seq-g2p-lstm', 'cmudict', 'g2p'));
    expect(() =>
      checkG2pExperiment('g2p', g2p, { levels: { source: 'tokens', target: 'tokens' } }),
    ).toThrow(refusal('it reads tokens and writes tokens'));
  });
});
