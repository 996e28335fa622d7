import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { decodeNpy } from '../../src-main/domain/audio/npy';
import { readAudioFile } from '../../src-main/domain/audio/wav';
import { readCorpus } from '../../src-main/domain/corpus';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { errorRate } from '../../src-main/domain/metrics';
import { loadRecognizer } from '../../src-main/domain/speech';
import { evaluateExperiment, trainExperiment } from '../support/builtin-experiments';
import type { PhoneEvaluation, PhonePrediction } from '../../src-main/domain/speech';
import type { ExperimentConfigInput } from '../../src-main/domain/experiments/config/experiment-config';
import { synthesiseTinySentences } from '../support/tiny-corpora';
import { tinyPhonesConfig } from '../support/tiny-experiments';

const canSynthesise = await hasProgram('flite');

let root = '';
let dataDir = '';

const phonesConfig = (name: string, cmvn: 'speaker' | 'none'): ExperimentConfigInput =>
  tinyPhonesConfig(name, 'sentences', { features: { cmvn } });

describe.skipIf(!canSynthesise)(
  'speech: per-frame phone probabilities end to end (flite voices)',
  () => {
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'unfold-speech-phones-'));
      dataDir = join(root, 'data');
      // 2 sentences x 2 voices, split by voice: the test voice is never heard in training.
      await synthesiseTinySentences(dataDir);
    });
    afterAll(async () => {
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('trains a transducer on TextGrid frame labels and scores frames and phone strings', async () => {
      const result = await trainExperiment(phonesConfig('p1', 'speaker'), { dataDir });
      const evaluation = result.evaluation as PhoneEvaluation;
      expect(result.labels).toContain('pau');
      expect(result.labels).toEqual([...result.labels].sort());
      expect(evaluation.utterances).toBe(2);
      expect(evaluation.frameAccuracy).toBeGreaterThanOrEqual(0);
      expect(evaluation.frameAccuracy).toBeLessThanOrEqual(1);
      // The frames scored are every feature frame of the test utterances (10 ms hop).
      const corpus = await readCorpus(join(dataDir, 'corpora', 'sentences'));
      const testUtterances =
        corpus.data.kind === 'speech'
          ? corpus.data.utterances.filter((u) => u.split === 'test')
          : [];
      expect(evaluation.predictions.map((p) => p.utteranceId)).toEqual(
        testUtterances.map((u) => u.id),
      );
      for (const p of evaluation.predictions) {
        const audio = await readAudioFile(p.audioPath);
        expect(p.frames).toBe(1 + Math.floor((audio.samples.length - 400) / 160));
        expect(p.reference.length).toBeGreaterThan(5);
        expect(p.reference).not.toContain('sil');
        expect(p.reference).not.toContain('pau');
        const npy = decodeNpy(
          await readFile(join(result.dir, 'eval/test/posteriors', `${p.utteranceId}.npy`)),
          'npy',
        );
        expect([npy.frames, npy.dims]).toEqual([p.frames, result.labels.length]);
        for (let t = 0; t < npy.frames; t += 17) {
          const row = npy.data.subarray(t * npy.dims, (t + 1) * npy.dims);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        }
      }
      // The phone error rate is the edit distance of the folded strings, summed over utterances.
      const { predictions } = JSON.parse(
        await readFile(join(result.dir, 'eval/test/predictions.json'), 'utf8'),
      ) as { predictions: PhonePrediction[] };
      const recomputed = errorRate(
        predictions.map((p) => ({ reference: p.reference, hypothesis: p.decoded })),
      );
      expect(evaluation.phoneErrorRate).toEqual(recomputed);
      const metrics = JSON.parse(await readFile(join(result.dir, 'metrics.json'), 'utf8')) as {
        evaluations: { test: { phoneErrorRate: number; frameAccuracy: number } };
      };
      expect(metrics.evaluations.test.phoneErrorRate).toBe(recomputed.rate);
      const confusion = evaluation.confusion.counts.flat().reduce((a, b) => a + b, 0);
      expect(confusion).toBe(evaluation.frames);

      // Evaluating the training split works too and lands beside the test evaluation.
      const onTrain = await evaluateExperiment(result.dir, {
        dataDir,
        split: 'train',
        keepItemOutputs: false,
      });
      expect(onTrain.utterances).toBe(2);
      expect(existsSync(join(result.dir, 'eval/train/predictions.json'))).toBe(true);
    });

    it('streams posteriors chunk by chunk with the state carried, equal to the whole-utterance pass', async () => {
      const result = await trainExperiment(phonesConfig('p-none', 'none'), { dataDir });
      const recognizer = await loadRecognizer(result.dir);
      const path = (result.evaluation as PhoneEvaluation).predictions[0]?.audioPath as string;
      const audio = await readAudioFile(path);
      const offline = await recognizer.phonePosteriors(audio);
      expect(offline.posteriors.length).toBe(offline.frames * recognizer.labels.length);
      expect(offline.decoded.every((p) => recognizer.labels.includes(p) && p !== 'pau')).toBe(true);
      const live = recognizer.createStreamingPhoneRecognizer();
      const pcm = Int16Array.from(audio.samples, (s) => Math.round(s * 32768));
      let frames = 0;
      for (let i = 0; i < pcm.length; i += 1234)
        frames += live.push(pcm.subarray(i, i + 1234)).frames;
      frames += live.flush().frames;
      expect(frames).toBe(offline.frames);
      const streamed = live.posteriors();
      let worst = 0;
      for (let i = 0; i < streamed.length; i++)
        worst = Math.max(
          worst,
          Math.abs((streamed[i] as number) - (offline.posteriors[i] as number)),
        );
      expect(worst).toBeLessThan(1e-4);
      recognizer.dispose();

      // unfold recognize: the decoded string and the posteriors as .npy.
      const npyPath = join(root, 'posteriors.npy');
      let out = '';
      const write = vi
        .spyOn(process.stdout, 'write')
        .mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
      try {
        const program = new Command().exitOverride();
        registerSpeechCommands(program);
        await program.parseAsync(
          ['recognize', result.dir, path, '--npy', npyPath, '--data', dataDir, '--json'],
          { from: 'user' },
        );
      } finally {
        write.mockRestore();
      }
      const printed = JSON.parse(out) as { decoded: string[]; frames: number; phones: string[] };
      expect(printed).toMatchObject({ decoded: offline.decoded, frames: offline.frames });
      const npy = decodeNpy(await readFile(npyPath), npyPath);
      expect([npy.frames, npy.dims]).toEqual([offline.frames, printed.phones.length]);
      expect(npy.data).toEqual(offline.posteriors);
    });
  },
);
