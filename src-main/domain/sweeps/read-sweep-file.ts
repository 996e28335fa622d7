/**
 * Reads a sweep file (JSON) and the experiment config it may name, with errors that name the
 * file and the line (bad JSON) or the field (a value the schema refuses).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UnfoldError } from '../errors';
import type { SweepSource } from './sweep-plan';
import type { SweepSpec } from './sweep-spec';
import { SweepSpecSchema, issuePlace } from './sweep-spec';

/** "line 3, column 7" for a character offset into a text. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1] ?? '').length + 1}`;
}

/** Parses JSON text, or says where it is not JSON. */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position !== undefined ? ` at ${lineAndColumn(text, Number(position))}` : '';
    throw new UnfoldError('BAD_SWEEP', `${label} is not valid JSON${where}: ${message}`);
  }
}

/** Checks a parsed sweep file, or names the first field that is wrong. */
export function parseSweepSpec(value: unknown, label: string): SweepSpec {
  const result = SweepSpecSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // A refused record key is reported as "Invalid key" with the key's own issue inside.
  const inner = (issue as { issues?: Array<{ message: string }> } | undefined)?.issues?.[0];
  throw new UnfoldError(
    'BAD_SWEEP',
    `${label}: ${issuePlace(issue?.path ?? [])}: ${inner?.message ?? issue?.message ?? 'not a sweep'}`,
  );
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UnfoldError('BAD_SWEEP', `Cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** A sweep file and, when its `config` is a path (relative to the file), that config. */
export async function readSweepFile(
  path: string,
): Promise<{ spec: SweepSpec; source: SweepSource }> {
  const label = resolve(path);
  const spec = parseSweepSpec(parseJsonText(await readText(label, 'the sweep file'), label), label);
  if (typeof spec.config !== 'string') return { spec, source: { label } };
  const configPath = resolve(dirname(label), spec.config);
  const config = parseJsonText(await readText(configPath, 'the config'), configPath);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new UnfoldError('BAD_SWEEP', `${configPath}: an experiment config is a JSON object.`);
  return { spec, source: { label, configFile: config as Record<string, unknown> } };
}
