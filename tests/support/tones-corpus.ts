import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src-main/domain/audio/wav';
import { formatTextGrid, tierFromSpans } from '../../src-main/domain/corpus/formats/textgrid';
import { importCorpus } from '../../src-main/domain/corpus/index';
import { writeFixture } from '../../src-main/domain/corpus/testing/fixtures';

/** One take: its samples and, per tier, labelled spans [start, end, label] in seconds. */
export interface ToneTake {
  name: string;
  samples: Float32Array;
  tiers: Record<string, [number, number, string][]>;
}

/**
 * Imports synthetic takes (tones labelled as phones) with TextGrid alignments as the corpus
 * `tones` of the data folder, speaker `ann` (utterance ids `ann-<name>`, every take in split
 * `train`): a phones corpus without a speech synthesiser. Gaps between spans become empty
 * intervals, as Praat writes them.
 */
export async function importTonesCorpus(
  dataDir: string,
  takes: readonly ToneTake[],
  sampleRate = 16_000,
): Promise<void> {
  const source = await mkdtemp(join(tmpdir(), 'unfold-tones-source-'));
  try {
    for (const { name, samples, tiers } of takes) {
      const seconds = samples.length / sampleRate;
      const grid = formatTextGrid({
        xmin: 0,
        xmax: seconds,
        tiers: Object.entries(tiers).map(([tier, spans]) =>
          tierFromSpans(
            tier,
            0,
            seconds,
            spans.map(([xmin, xmax, text]) => ({ xmin, xmax, text })),
          ),
        ),
      });
      await writeFixture(join(source, `${name}.wav`), encodeWav({ sampleRate, samples }));
      await writeFixture(join(source, `${name}.TextGrid`), grid);
    }
    await importCorpus({
      format: 'textgrid',
      source,
      outDir: join(dataDir, 'corpora', 'tones'),
      speaker: 'ann',
    });
  } finally {
    await rm(source, { recursive: true, force: true });
  }
}
