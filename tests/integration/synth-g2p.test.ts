/**
 * Phone-aligned sentence synthesis asking a trained G2P model for the words CMUdict lacks: a
 * tiny encoder-decoder learns a made-up spelling -> ARPAbet mapping (tests/support/toy-g2p.ts),
 * and "dobado", a word CMUdict lacks, is spoken by festival and flite with the model's
 * phones instead of their letter-to-sound rules, noted in the manifest; without the switch the
 * synthesisers' own rules hold; from the CLI (`--g2p`) and the job; a seq2seq experiment that is
 * not scored as G2P is refused.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusSynthSentencesParamsSchema } from '../../src-main/api/corpus';
import type { TextGrid } from '../../src-main/domain/corpus/formats/textgrid';
import type { SpeechCorpusData } from '../../src-main/domain/corpus/model';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import { lexiconPhones } from '../../src-main/domain/corpus/synth/g2p-lexicon';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { synthesiseSentences } from '../../src-main/domain/corpus/synth/synth-sentences';
import { loadG2pPronouncer } from '../../src-main/domain/text/seq2seq/g2p-pronouncer';
import type { G2pPronouncer } from '../../src-main/domain/text/seq2seq/g2p-pronouncer';
import { runCorpusSynthSentences } from '../../src-main/jobs/corpus-jobs';
import { runCorpusCli } from '../support/in-process-cli';
import { TOY_G2P_WORD, trainToyG2p } from '../support/toy-g2p';

const canSynthesise = (await hasProgram('festival')) && (await hasProgram('flite'));

const G2P = 'toy-g2p';
const NOT_G2P = 'toy-translation';
const WORD = TOY_G2P_WORD;
const SENTENCE = `The ${WORD}.`;
const VOICES = ['kal_diphone', 'kal16'];

let dataDir: string;
let pronouncer: G2pPronouncer;
/** The model's phones for WORD, as the synthesisers' phone tiers write them (no stress). */
let expectedPhones: string[];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-synth-g2p-'));
  await trainToyG2p(dataDir, G2P);
  // The same model declared a translation model: not a G2P experiment.
  const notG2p = join(dataDir, 'experiments', NOT_G2P);
  await cp(join(dataDir, 'experiments', G2P), notG2p, { recursive: true });
  const config = JSON.parse(await readFile(join(notG2p, 'config.json'), 'utf8')) as object;
  await writeFile(
    join(notG2p, 'config.json'),
    JSON.stringify({ ...config, name: NOT_G2P, scoring: 'translation' }),
  );
  pronouncer = await loadG2pPronouncer(join(dataDir, 'experiments', G2P));
  const [pronounced] = pronouncer.pronounce([WORD]);
  expectedPhones = lexiconPhones(pronounced?.symbols ?? []).map((p) => p.replace(/\d$/, ''));
}, 120_000);

afterAll(async () => {
  pronouncer?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

/** The phones inside each utterance's interval of `word`, by speaker. */
function wordPhones(data: SpeechCorpusData, word: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const utterance of data.utterances) {
    const grid = data.alignments.get(utterance.recordingId) as TextGrid;
    const tier = (name: string) => {
      const found = grid.tiers.find((t) => t.name === name);
      if (found?.kind !== 'interval') throw new Error(`no ${name} tier`);
      return found.intervals;
    };
    const span = tier('words').find((i) => i.text === word);
    if (!span) throw new Error(`${utterance.id}: no "${word}" in the words tier`);
    out.set(
      utterance.speaker,
      tier('phones')
        .filter((i) => i.xmin >= span.xmin - 1e-6 && i.xmax <= span.xmax + 1e-6 && i.text !== '')
        .map((i) => i.text),
    );
  }
  return out;
}

describe.skipIf(!canSynthesise)('sentence synthesis with a G2P model for missing words', () => {
  it('the model pronounces its made-up spelling rules, unlike the synthesisers', () => {
    // A sanity check on the fixture: the model writes ARPAbet, p/t for b/d as it was taught.
    expect(expectedPhones.length).toBeGreaterThan(0);
    expect(expectedPhones).toContain('p');
  });

  it("speaks the word the dictionary lacks with the model's phones (festival and flite) and notes it", async () => {
    const corpus = await synthesiseSentences(join(dataDir, 'corpora', 'with-g2p'), {
      name: 'with-g2p',
      sentences: [SENTENCE],
      voices: VOICES,
      g2p: pronouncer,
    });
    const note = corpus.corpus.manifest.g2p;
    expect(note?.experiment).toBe(G2P);
    // Only the missing word: "the" is in CMUdict.
    expect(Object.keys(note?.words ?? {})).toEqual([WORD]);
    expect(note?.words[WORD]).toBe(pronouncer.pronounce([WORD])[0]?.symbols.join(' '));
    const phones = wordPhones(corpus.corpus.data as SpeechCorpusData, WORD);
    expect([...phones.keys()].sort()).toEqual(['festival_kal_diphone', 'flite_kal16']);
    for (const said of phones.values()) expect(said).toEqual(expectedPhones);
    // The note is kept on disk.
    expect((await readCorpus(corpus.corpus.dir)).manifest.g2p).toEqual(note);
  });

  it("without the switch the synthesisers' own letter-to-sound rules hold, and no note", async () => {
    const corpus = await synthesiseSentences(join(dataDir, 'corpora', 'without-g2p'), {
      name: 'without-g2p',
      sentences: [SENTENCE],
      voices: VOICES,
    });
    expect(corpus.corpus.manifest.g2p).toBeUndefined();
    const phones = wordPhones(corpus.corpus.data as SpeechCorpusData, WORD);
    expect(phones.size).toBe(2);
    for (const said of phones.values()) {
      expect(said.length).toBeGreaterThan(0);
      expect(said).not.toEqual(expectedPhones);
    }
  });

  it('`unfold corpus synth sentences --g2p` prints the note; a non-G2P experiment is refused', async () => {
    const textFile = join(dataDir, 'sentences.txt');
    await writeFile(textFile, `${SENTENCE}\n`);
    const args = (out: string, g2p: string) => [
      'synth',
      'sentences',
      '--text-file',
      textFile,
      '--out',
      out,
      '--voices',
      'kal16',
      '--g2p',
      g2p,
    ];
    const ok = await runCorpusCli(dataDir, args('cli-g2p', G2P));
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`G2P ${G2P} pronounced 1 word(s) the dictionary lacks: ${WORD} /`);
    const refused = await runCorpusCli(dataDir, args('cli-not-g2p', NOT_G2P));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain(`${NOT_G2P} is not a grapheme-to-phoneme experiment`);
    expect(refused.stderr).toContain('"translation"');
  });

  it('the job takes { g2p: { experiment } }, returns the words, and refuses a non-G2P experiment', async () => {
    const params = (out: string, experiment: string) =>
      CorpusSynthSentencesParamsSchema.parse({
        out,
        sentences: [SENTENCE],
        voices: ['kal16'],
        g2p: { experiment },
      });
    expect(CorpusSynthSentencesParamsSchema.parse({ out: 'x', sentences: ['a'] }).g2p).toBeNull();
    const result = await runCorpusSynthSentences(params('job-g2p', G2P), { dataDir });
    expect(result.g2p).toEqual({ experiment: G2P, words: [WORD] });
    await expect(
      runCorpusSynthSentences(params('job-not-g2p', NOT_G2P), { dataDir }),
    ).rejects.toMatchObject({ code: 'G2P_NOT_G2P' });
  });
});
