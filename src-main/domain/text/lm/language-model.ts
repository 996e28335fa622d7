/**
 * A trained language model loaded to generate text and to score it: the experiment's model and
 * vocabulary, with the units cut the way training cut them. Generation starts at the start of a
 * sentence (after an end of sentence), reads the prompt, then picks one unit at a time (greedy,
 * or sampled with temperature, top-k and top-p from a seeded generator, so a seed repeats its
 * text). Scoring gives each unit of a line its log-probability, the line read from the start of
 * a sentence and ending with its end of sentence.
 */
import { basename } from 'node:path';
import { initTfBackend } from '../../backend/tf-backend';
import { UnfoldError } from '../../errors';
import { experimentModelFile } from '../../experiments/experiment-folder';
import { readExperimentConfig, readExperimentLabels } from '../../experiments/experiment-records';
import type { LmLevel } from '../../experiments/config/lm-config';
import { loadModel } from '../../rnn/model-io';
import { createRng } from '../../rnn/random';
import type { RnnModel } from '../../rnn/rnn-model';
import { PAD_ID, UNK_ID } from '../vocabulary';
import { disposeLayerStates } from '../../rnn/rnn-model';
import { stepModel } from './lm-steps';
import { unitsOf } from './lm-text';
import type { LmUnitRule } from './lm-text';
import { EOS_TOKEN, LmVocabulary } from './lm-vocabulary';
import { checkSamplingSettings, chooseNextId, rankedIds } from './next-unit-choice';
import type { SamplingSettings } from './next-unit-choice';

export interface GenerateOptions extends Partial<SamplingSettings> {
  /** Text to continue; empty: from the start of a sentence. */
  prompt?: string;
  /** How many units to generate. */
  units: number;
  seed?: number;
  /** Called with each unit as soon as it is picked (streaming). */
  onUnit?: (unit: GeneratedUnit) => void;
}

export interface GeneratedUnit {
  /** The unit's text; the end of sentence is `</s>`. */
  text: string;
  id: number;
  /** The model's probability of it (before temperature, top-k and top-p). */
  probability: number;
}

export interface Generation {
  prompt: string;
  /** The prompt's units as the model read them (unknown ones as `<unk>`). */
  promptUnits: string[];
  /** Prompt units outside the vocabulary (read as `<unk>`). */
  unknownPromptUnits: string[];
  units: GeneratedUnit[];
  /** The generated units as text: words with spaces, characters as they are; a sentence end starts a new line. */
  text: string;
  /** What was adjusted (top-k larger than the vocabulary). */
  notes: string[];
}

export interface ScoredUnit {
  text: string;
  id: number;
  unknown: boolean;
  /** Natural log of its probability given the line before it. */
  logProb: number;
}

export interface ScoredLine {
  text: string;
  /** The line's units and its end of sentence. */
  units: ScoredUnit[];
  logProb: number;
  perplexity: number;
}

/** A generation under way: what the prompt became, and the units, each computed when asked for. */
export interface GenerationStart {
  prompt: string;
  promptUnits: string[];
  unknownPromptUnits: string[];
  notes: string[];
  /** Lazy: a unit is sampled when it is asked for; return() stops and frees the state. */
  units: Generator<GeneratedUnit, void, undefined>;
}

export interface NextUnit {
  text: string;
  id: number;
  probability: number;
}

/** A text read from the start of a sentence, as far as it goes. */
export interface PrefixReading {
  /** Its units (no end of sentence), each with its log-probability given the text before it. */
  units: ScoredUnit[];
  /** The most probable units to come next, most probable first. */
  next: NextUnit[];
}

export interface LanguageModel {
  dir: string;
  name: string;
  level: LmLevel;
  vocabularySize: number;
  generate(options: GenerateOptions): Generation;
  /** The same checks as generate, then the units one at a time (streaming, stoppable). */
  startGeneration(options: Omit<GenerateOptions, 'onUnit'>): GenerationStart;
  /** The text's units scored and the `count` most probable next units after it. */
  readPrefix(text: string, count: number): PrefixReading;
  scoreLine(text: string): ScoredLine;
  dispose(): void;
}

/** Units joined as text: words with a space between, characters as they are, sentence ends as new lines. */
export function joinUnits(units: readonly string[], level: LmLevel): string {
  let text = '';
  for (const unit of units) {
    if (unit === EOS_TOKEN) text += '\n';
    else if (level === 'char' || text === '' || text.endsWith('\n')) text += unit;
    else text += ` ${unit}`;
  }
  return text;
}

/**
 * A typed line as a language model reads it from the start of a sentence: its units (none for a
 * blank line) and the ids fed, the end of sentence first, then each unit's id (`<unk>` for a unit
 * outside the vocabulary). Reading, scoring and the Inside view all read text through it.
 */
export function sentenceReading(
  text: string,
  rule: LmUnitRule,
  vocabulary: LmVocabulary,
): { units: string[]; ids: number[] } {
  const units = text.trim() === '' ? [] : unitsOf(text, rule);
  return { units, ids: [vocabulary.eosId, ...units.map((unit) => vocabulary.id(unit))] };
}

export function languageModelFrom(
  dir: string,
  model: RnnModel,
  vocabulary: LmVocabulary,
  rule: LmUnitRule,
): LanguageModel {
  const excluded = new Set([PAD_ID]);
  /** Feeds ids from a zero state. */
  const fromStart = (ids: number[]): ReturnType<typeof stepModel> => {
    const zero = model.zeroStates(1);
    try {
      return stepModel(model, ids, zero);
    } finally {
      disposeLayerStates(zero);
    }
  };
  const languageModel: LanguageModel = {
    dir,
    name: basename(dir),
    level: rule.level,
    vocabularySize: vocabulary.size,
    startGeneration(options) {
      if (!Number.isInteger(options.units) || options.units < 1)
        throw new UnfoldError(
          'LM_BAD_LENGTH',
          `The number of units to generate must be a whole number from 1 (got ${options.units}).`,
        );
      const { settings, notes } = checkSamplingSettings(
        {
          temperature: options.temperature ?? 1,
          topK: options.topK ?? null,
          topP: options.topP ?? null,
        },
        vocabulary.predictable,
      );
      const prompt = options.prompt ?? '';
      const promptUnits = prompt.trim() === '' ? [] : unitsOf(prompt, rule);
      const promptIds = promptUnits.map((unit) => vocabulary.id(unit));
      const rng = createRng(options.seed ?? 1);
      function* sample(): Generator<GeneratedUnit, void, undefined> {
        let step = fromStart([vocabulary.eosId, ...promptIds]);
        try {
          for (let i = 0; i < options.units; i++) {
            const size = model.config.output.size;
            const last = step.logProbs.subarray((step.steps - 1) * size, step.steps * size);
            // One draw per unit whatever the settings, so a seed's text depends on the seed alone.
            const id = chooseNextId(last, settings, excluded, rng.next());
            const unit = {
              text: vocabulary.unit(id),
              id,
              probability: Math.exp(last[id] as number),
            };
            yield unit;
            if (i + 1 < options.units) {
              const next = stepModel(model, [id], step.states);
              disposeLayerStates(step.states);
              step = next;
            }
          }
        } finally {
          // Also when the caller stops early (return() on the generator).
          disposeLayerStates(step.states);
        }
      }
      return {
        prompt,
        promptUnits: promptIds.map((id, i) =>
          id === UNK_ID ? vocabulary.unit(UNK_ID) : (promptUnits[i] as string),
        ),
        unknownPromptUnits: promptUnits.filter((_, i) => promptIds[i] === UNK_ID),
        notes,
        units: sample(),
      };
    },
    generate(options) {
      const { units: sampled, ...start } = languageModel.startGeneration(options);
      const units: GeneratedUnit[] = [];
      for (const unit of sampled) {
        units.push(unit);
        options.onUnit?.(unit);
      }
      return {
        ...start,
        units,
        text: joinUnits(
          units.map((u) => u.text),
          rule.level,
        ),
      };
    },
    readPrefix(text, count) {
      const { units: lineUnits, ids } = sentenceReading(text, rule, vocabulary);
      const step = fromStart(ids);
      disposeLayerStates(step.states);
      const size = model.config.output.size;
      const units = lineUnits.map((unit, t): ScoredUnit => ({
        text: unit,
        id: ids[t + 1] as number,
        unknown: ids[t + 1] === UNK_ID,
        logProb: step.logProbs[t * size + (ids[t + 1] as number)] as number,
      }));
      const last = step.logProbs.subarray(lineUnits.length * size, (lineUnits.length + 1) * size);
      const next = rankedIds(last, excluded)
        .slice(0, count)
        .map((id) => ({
          text: vocabulary.unit(id),
          id,
          probability: Math.exp(last[id] as number),
        }));
      return { units, next };
    },
    scoreLine(text) {
      const reading = sentenceReading(text, rule, vocabulary);
      const lineUnits = reading.units;
      const ids = [...reading.ids, vocabulary.eosId];
      const step = fromStart(reading.ids);
      disposeLayerStates(step.states);
      const size = model.config.output.size;
      const units = ids.slice(1).map((id, t): ScoredUnit => ({
        text: t < lineUnits.length ? (lineUnits[t] as string) : EOS_TOKEN,
        id,
        unknown: id === UNK_ID,
        logProb: step.logProbs[t * size + id] as number,
      }));
      const logProb = units.reduce((sum, u) => sum + u.logProb, 0);
      return { text, units, logProb, perplexity: Math.exp(-logProb / units.length) };
    },
    dispose: () => model.dispose(),
  };
  return languageModel;
}

/** Loads a trained language-model experiment. */
export async function loadLanguageModel(dir: string): Promise<LanguageModel> {
  await initTfBackend();
  const config = await readExperimentConfig(dir);
  if (config.task !== 'lm')
    throw new UnfoldError(
      'TEXT_WRONG_TASK',
      `${dir} is a ${config.task} experiment; generating and scoring text needs a language model (task lm).`,
    );
  if (config.model.direction === 'bidirectional')
    throw new UnfoldError(
      'LM_BIDIRECTIONAL',
      `${dir} is a bidirectional language model: it reads text both ways, so it neither generates nor scores left to right. Evaluate it with \`unfold eval\` (perplexity per direction) or take its contextual embeddings with \`unfold embed\`.`,
    );
  const labels = await readExperimentLabels(dir);
  const vocabulary = LmVocabulary.fromLabels(labels, `${dir}/labels.json`);
  const model = await loadModel(experimentModelFile(dir));
  return languageModelFrom(dir, model, vocabulary, {
    level: config.level,
    tokenizer: config.words.tokenizer,
  });
}
