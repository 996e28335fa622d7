import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusOverview, CorpusSummary, CorpusValidity } from '../../api/corpus';
import { resolveInDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { CORPORA_DIR } from '../../domain/corpus/corpus-paths';
import { CorpusSession, corpusStats } from '../../domain/corpus/index';
import type { CorpusManifest } from '../../domain/corpus/manifest';
import { readManifest } from '../../domain/corpus/manifest';
import type { CorpusStats } from '../../domain/corpus/stats';
import type { StoredValidation } from '../../jobs/corpus-jobs';
import { VALIDATION_FILE } from '../../jobs/corpus-jobs';

interface Summarised {
  revision: number;
  stats: CorpusStats;
}

/**
 * The corpora of the data folder as the API sees them: one open CorpusSession per corpus
 * (shared by every window, so undo/redo follow the corpus, not the window), mutations run one
 * at a time per corpus, and statistics are cached per revision so the list stays cheap.
 */
export class CorpusSessions {
  readonly #sessions = new Map<string, Promise<CorpusSession>>();
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #summaries = new Map<string, Summarised>();

  constructor(readonly dataDir: string) {}

  /** A corpus's folder: inside the data folder, never through a symbolic link out. */
  dir(name: string): Promise<string> {
    return resolveInDataFolder(this.dataDir, CORPORA_DIR, name);
  }

  /** The open session of a corpus, opening it on first use. */
  session(name: string): Promise<CorpusSession> {
    let session = this.#sessions.get(name);
    if (!session) {
      session = this.dir(name)
        .then((dir) => CorpusSession.open(dir))
        .catch((error: unknown) => {
          this.#sessions.delete(name);
          throw notFoundOr(name, error);
        });
      this.#sessions.set(name, session);
    }
    return session;
  }

  /** Forgets the open session (its undo history too); the next use reads the corpus again. */
  forget(name: string): void {
    this.#sessions.delete(name);
    this.#summaries.delete(name);
  }

  /** Runs `work` after every earlier mutation of the same corpus has finished. */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#queues.set(
      name,
      next.catch(() => undefined),
    );
    return next;
  }

  async list(): Promise<CorpusSummary[]> {
    const root = join(this.dataDir, CORPORA_DIR);
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const names = entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
    return Promise.all(names.map((name) => this.summary(name)));
  }

  /** A corpus's line in the list; a folder that does not read as a corpus says why. */
  async summary(name: string): Promise<CorpusSummary> {
    let manifest: CorpusManifest;
    try {
      manifest = await readManifest(await this.dir(name));
    } catch (error) {
      return unreadable(name, error);
    }
    let stats: CorpusStats;
    const cached = this.#summaries.get(name);
    if (cached?.revision === manifest.revision) stats = cached.stats;
    else {
      try {
        const session = await this.session(name);
        // The open session is behind the disk: another process changed the corpus.
        if (session.manifest.revision !== manifest.revision && !session.canUndo) {
          this.forget(name);
        }
        const current = await this.session(name);
        stats = corpusStats(current.data);
        // Cache only what matches the disk; a stale session's counts are shown but not kept.
        if (current.manifest.revision === manifest.revision)
          this.#summaries.set(name, { revision: manifest.revision, stats });
      } catch (error) {
        return unreadable(name, error);
      }
    }
    return {
      name,
      displayName: manifest.name,
      kind: manifest.kind,
      ...(manifest.textFormat ? { textFormat: manifest.textFormat } : {}),
      items: stats.items,
      speakers: Object.keys(stats.perSpeaker).length,
      splits: stats.perSplit,
      totalSeconds: stats.totalSeconds,
      modified: manifest.modified,
      revision: manifest.revision,
      validity: await this.validity(name, manifest.revision),
    };
  }

  async overview(name: string): Promise<CorpusOverview> {
    const session = await this.session(name);
    const summary = await this.summary(name);
    const manifest = session.manifest;
    return {
      summary,
      stats: session.stats(),
      labels: manifest.labels,
      splits: manifest.splits,
      tasks: manifest.tasks,
      phoneSet: manifest.phoneSet,
      splitMethod: manifest.split ?? null,
      canUndo: session.canUndo,
      canRedo: session.canRedo,
    };
  }

  private async validity(name: string, revision: number): Promise<CorpusValidity> {
    try {
      const stored = JSON.parse(
        await readFile(join(await this.dir(name), VALIDATION_FILE), 'utf8'),
      ) as StoredValidation;
      if (stored.revision !== revision) return { state: 'unchecked', problems: 0 };
      return {
        state: stored.ok ? 'valid' : 'invalid',
        problems: stored.problems,
        revision: stored.revision,
      };
    } catch {
      return { state: 'unchecked', problems: 0 };
    }
  }
}

function notFoundOr(name: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT')
    return new UnfoldError(
      'CORPUS_NOT_FOUND',
      `There is no corpus named "${name}" in the data folder.`,
    );
  return error;
}

function unreadable(name: string, error: unknown): CorpusSummary {
  return {
    name,
    displayName: name,
    kind: null,
    items: 0,
    speakers: 0,
    splits: {},
    totalSeconds: 0,
    modified: null,
    revision: 0,
    validity: {
      state: 'unreadable',
      problems: 1,
      message: error instanceof Error ? error.message : String(error),
    },
  };
}
