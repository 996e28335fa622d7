/**
 * An experiment's small records: its config, its labels (what the network's outputs mean) and
 * the files its task keeps beside the model.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UnfoldError } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import type { CommonExperimentConfig } from './config/common-config';
import { commonConfigFields } from './config/common-config';
import type { ExperimentConfig } from './config/experiment-config';
import { parseConfigWith, parseExperimentConfig } from './config/experiment-config';
import { EXPERIMENT_FILES, ensureDir } from './experiment-folder';

async function readConfigJson(dir: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, EXPERIMENT_FILES.config), 'utf8');
  } catch {
    throw new UnfoldError(
      'EXPERIMENT_NOT_FOUND',
      `${dir} is not an experiment: it has no config.json. Train one with \`unfold train\`.`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UnfoldError(
      'BAD_EXPERIMENT_CONFIG',
      `${join(dir, EXPERIMENT_FILES.config)} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

const CommonConfigSchema = z.looseObject({ ...commonConfigFields, task: z.string().min(1) });

/**
 * The part of config.json every task shares (name, task, corpus, data, training, seed), with
 * the task's own keys passed through unread: what listing and the lifecycle need, whatever the task.
 */
export async function readCommonConfig(
  dir: string,
): Promise<CommonExperimentConfig & Record<string, unknown>> {
  return parseConfigWith(CommonConfigSchema, await readConfigJson(dir)) as CommonExperimentConfig &
    Record<string, unknown>;
}

/** config.json of a built-in task, fully validated. */
export async function readExperimentConfig(dir: string): Promise<ExperimentConfig> {
  return parseExperimentConfig(await readConfigJson(dir));
}

export async function writeExperimentConfig(dir: string, config: object): Promise<void> {
  await writeJsonAtomically(join(dir, EXPERIMENT_FILES.config), config);
}

/**
 * What the network's outputs mean (labels.json): the task, the output classes in order, and
 * what else the task needs to run the model later (speech: input size and feature moments).
 */
export interface ExperimentLabels {
  task: string;
  /** Class id -> label. */
  labels: string[];
  [key: string]: unknown;
}

export async function readExperimentLabels<T extends ExperimentLabels = ExperimentLabels>(
  dir: string,
): Promise<T> {
  try {
    return JSON.parse(await readFile(join(dir, EXPERIMENT_FILES.labels), 'utf8')) as T;
  } catch {
    throw new UnfoldError(
      'EXPERIMENT_NOT_TRAINED',
      `${dir} has no labels.json: its training did not finish. Train it again with \`unfold train\`.`,
    );
  }
}

export async function writeExperimentLabels(dir: string, labels: ExperimentLabels): Promise<void> {
  await writeJsonAtomically(join(dir, EXPERIMENT_FILES.labels), labels);
}

/** Stores a file the task keeps beside the model (e.g. the phone folding the model was scored with). */
export async function writeTaskFile(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await ensureDir(join(dir, EXPERIMENT_FILES.modelFolder));
  await writeFileAtomically(join(dir, EXPERIMENT_FILES.modelFolder, name), bytes);
}

/**
 * A file the task keeps beside the model, or null when it has none. Experiments trained
 * before task files moved into model/ kept them at the top level: read there too.
 */
export async function readTaskFile(dir: string, name: string): Promise<Uint8Array | null> {
  for (const path of [join(dir, EXPERIMENT_FILES.modelFolder, name), join(dir, name)]) {
    const bytes = await readFile(path).catch(() => null);
    if (bytes) return bytes;
  }
  return null;
}
