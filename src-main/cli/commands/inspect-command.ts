/** `unfold inspect`: gates, states, gradients through time and free dynamics of a trained model. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  DYNAMICS_DEFAULT_STEPS,
  DYNAMICS_SCALE_RANGE,
  INSIDE_PANELS,
  MAX_DYNAMICS_STEPS,
  type InsideDynamics,
  type InsideInput,
  type InsideLossTarget,
  type InsidePanel,
} from '../../api/inside';
import { findCorpusDir } from '../../domain/corpus/corpus-paths';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { writeFileAtomically, writeJsonAtomically } from '../../domain/fs/atomic-write';
import { loadInsideModel, tracePrepared } from '../../domain/inside/inside-model';
import { layerDynamics } from '../../domain/inside/layer-dynamics';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';
import { behaviourText, saturationText } from '../../../src-renderer/src/lib/inside/behaviour-text';
import { layerSequence, layerSteps } from '../../../src-renderer/src/lib/inside/trace-sequences';
import { dynamicsFiles, traceFiles, type InspectFile } from './inspect-files';

interface InspectFlags {
  what?: string;
  out?: string;
  utterance?: boolean;
  corpus?: string;
  outputStep?: string;
  lossTarget?: string;
  layer?: string;
  startStep?: string;
  constant?: string;
  scale?: string;
  steps?: string;
  sort?: string;
  data?: string;
}

const SORTS = ['variance', 'index'] as const;
const LOSS_TARGETS: readonly InsideLossTarget[] = ['answer', 'reference'];

function lossTargetOf(value: string | undefined): InsideLossTarget | undefined {
  if (value === undefined) return undefined;
  if (!(LOSS_TARGETS as readonly string[]).includes(value))
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `--loss-target must be ${LOSS_TARGETS.join(' or ')} (got ${value}).`,
    );
  return value as InsideLossTarget;
}

function panelsOf(what: string | undefined): InsidePanel[] {
  if (what === undefined) return [...INSIDE_PANELS];
  const asked = what.split(',').map((w) => w.trim());
  for (const panel of asked)
    if (!(INSIDE_PANELS as readonly string[]).includes(panel))
      throw new UnfoldError(
        'BAD_ARGUMENT',
        `--what takes ${INSIDE_PANELS.join(', ')} (comma-separated); got ${panel}.`,
      );
  return asked as InsidePanel[];
}

function integerFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `${flag} must be an integer of at least ${min} (got ${value}).`,
    );
  return n;
}

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new UnfoldError('BAD_ARGUMENT', `${flag} must be a number (got ${value}).`);
  return n;
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description(
      'Look inside a trained recurrent model on one input: write gates, states, gradient norms through time and free dynamics as .npy files and PNGs',
    )
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .argument(
      '<input>',
      'a sentence (text models), a WAV file, or with --utterance an utterance id',
    )
    .requiredOption('--out <dir>', 'folder for the .npy, .png and inside.json files')
    .option('--what <panels>', `comma-separated: ${INSIDE_PANELS.join(', ')} (default: all)`)
    .option('--utterance', 'INPUT is an utterance id of the corpus (speech models)')
    .option('--corpus <corpus>', "with --utterance: the corpus (default: the experiment's)")
    .option(
      '--output-step <t>',
      'per-step models: the gradient of this output step (default: the sequence loss)',
    )
    .option(
      '--loss-target <target>',
      "the gradient's loss scores the model's answer or, for a corpus utterance, its reference (default: the reference when there is one)",
    )
    .option('--sort <order>', `heatmap rows: ${SORTS.join(' or ')} (default variance)`)
    .option('--layer <key>', 'dynamics: the layer, e.g. encoder/layer0/fw (default: every layer)')
    .option(
      '--start-step <t>',
      'dynamics: start from the state after this input step (default: zeros)',
    )
    .option(
      '--constant <value>',
      'dynamics: this value on every input feature (default: zero input)',
    )
    .option(
      '--scale <factor>',
      `dynamics: factor on the recurrent weights (default ${DYNAMICS_SCALE_RANGE.default})`,
    )
    .option('--steps <n>', `dynamics: steps to run (default ${DYNAMICS_DEFAULT_STEPS})`)
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .action(async (exp: string, inputArg: string, flags: InspectFlags) => {
      try {
        const panels = panelsOf(flags.what);
        const sort = flags.sort ?? 'variance';
        if (!(SORTS as readonly string[]).includes(sort))
          throw new UnfoldError(
            'BAD_ARGUMENT',
            `--sort must be ${SORTS.join(' or ')} (got ${sort}).`,
          );
        const outputStep = integerFlag(flags.outputStep, '--output-step', 0) ?? null;
        const lossTarget = lossTargetOf(flags.lossTarget);
        const startStep = integerFlag(flags.startStep, '--start-step', 0) ?? null;
        const steps = integerFlag(flags.steps, '--steps', 1) ?? DYNAMICS_DEFAULT_STEPS;
        if (steps > MAX_DYNAMICS_STEPS)
          throw new UnfoldError('BAD_ARGUMENT', `--steps is at most ${MAX_DYNAMICS_STEPS}.`);
        const scale = numberFlag(flags.scale, '--scale') ?? DYNAMICS_SCALE_RANGE.default;
        const constant = numberFlag(flags.constant, '--constant');
        const dataDir = chooseDataFolder(flags.data).dir;
        const inside = await loadInsideModel(await experimentFolderArg(exp, dataDir));
        try {
          const input: InsideInput =
            inside.reads === 'text'
              ? { kind: 'text', text: inputArg }
              : flags.utterance
                ? { kind: 'utterance', corpus: flags.corpus, utterance: inputArg }
                : { kind: 'wav', path: resolve(inputArg) };
          const prepared = await inside.prepare(input, (name) => findCorpusDir(name, dataDir));
          const { trace } = tracePrepared(inside, prepared, { outputStep, lossTarget });
          const files: InspectFile[] = traceFiles(trace, panels, {
            sortByVariance: sort === 'variance',
          });
          const dynamics: InsideDynamics[] = [];
          if (panels.includes('dynamics')) {
            const keys = flags.layer ? [flags.layer] : trace.layers.map((l) => l.key);
            for (const layer of keys) {
              const result = layerDynamics(inside.model, trace.layers, {
                layer,
                startStep,
                drive:
                  constant === undefined ? { kind: 'zero' } : { kind: 'constant', value: constant },
                scale,
                steps,
              });
              dynamics.push(result);
              files.push(...dynamicsFiles(result));
            }
          }
          const outDir = resolve(flags.out as string);
          await mkdir(outDir, { recursive: true });
          for (const file of files) await writeFileAtomically(join(outDir, file.name), file.bytes);
          await writeJsonAtomically(join(outDir, 'inside.json'), {
            experiment: trace.experiment,
            task: trace.task,
            steps: trace.steps,
            axis: trace.axis,
            // An encoder-decoder's decoder steps: its greedy answer, read back teacher-forced.
            ...(trace.target
              ? { target: { steps: trace.target.steps, axis: trace.target.axis } }
              : {}),
            predicted: trace.predicted,
            reference: trace.reference ?? null,
            lossTarget: trace.lossTarget ?? 'answer',
            outputStep: trace.outputStep,
            outputs: {
              activation: trace.outputs.activation,
              labels: trace.outputs.labels,
              steps: trace.outputs.steps,
              totalClasses: trace.outputs.totalClasses,
            },
            // A bidirectional LM's backward LM (backward-outputs.npy): the previous unit.
            ...(trace.backward
              ? {
                  backward: {
                    predicted: trace.backward.predicted,
                    reference: trace.backward.reference,
                    outputs: {
                      labels: trace.backward.outputs.labels,
                      steps: trace.backward.outputs.steps,
                    },
                  },
                }
              : {}),
            layers: trace.layers.map((layer) => ({
              key: layer.key,
              cell: layer.cell,
              sequence: layerSequence(layer),
              steps: layerSteps(trace, layer),
              saturation: Object.fromEntries(
                layer.series.filter((s) => s.saturation).map((s) => [s.name, s.saturation]),
              ),
            })),
            dynamics: dynamics.map((d) => ({
              layer: d.layer,
              scale: d.scale,
              explained: d.explained,
              behaviour: d.behaviour,
              stateSizes: d.stateSizes,
            })),
            files: files.map((f) => f.name),
          });
          const stepsText = trace.target
            ? `${trace.steps} source steps and ${trace.target.steps} target steps`
            : `${trace.steps} steps`;
          print(`${trace.experiment}: ${stepsText}, ${trace.layers.length} layer directions`);
          for (const layer of trace.layers)
            for (const series of layer.series)
              if (series.saturation)
                print(`  ${layer.key} ${series.title}: ${saturationText(series.saturation)}`);
          for (const d of dynamics)
            print(`  ${d.layer} without input: ${behaviourText(d.behaviour)}`);
          print(`Wrote ${files.length + 1} files to ${outDir}`);
        } finally {
          inside.dispose();
        }
      } catch (error) {
        reportCliError(error, false);
      }
    });
}
