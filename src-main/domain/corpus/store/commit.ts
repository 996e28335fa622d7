import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { UnfoldError } from '../../errors';
import { writeFileAtomically, writeJsonAtomically } from '../../fs/atomic-write';
import { MANIFEST_FILE, readManifest } from '../manifest';
import { PENDING_COMMIT_FILE, STATE_DIR } from './layout';

/** A set of file changes that must all land or none: written ahead to a pending file. */
export interface CommitPlan {
  /** Relative path -> new UTF-8 content. The manifest, if present, is written last. */
  writes: Map<string, string>;
  deletes: string[];
}

const PendingSchema = z.object({
  writes: z.array(z.tuple([z.string(), z.string()])),
  deletes: z.array(z.string()),
});

/** Rejects paths that would escape the corpus folder (a pending file is data, not trusted code). */
function safeJoin(dir: string, relative: string): string {
  if (relative.startsWith('/') || relative.split('/').includes('..') || relative.includes('\\')) {
    throw new UnfoldError('CORPUS_PARSE', `refusing to write outside the corpus: ${relative}`);
  }
  return join(dir, relative);
}

/** Which file of a plan could not be written, and why. */
class PlanWriteFailure extends Error {
  constructor(
    readonly relative: string,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

function isDiskFull(error: unknown): boolean {
  return (
    (error instanceof UnfoldError && error.code === 'DISK_FULL') ||
    ['ENOSPC', 'EDQUOT'].includes(String((error as NodeJS.ErrnoException | null)?.code))
  );
}

async function applyPlan(
  dir: string,
  writes: [string, string][],
  deletes: string[],
): Promise<void> {
  const ordered = [
    ...writes.filter(([p]) => p !== MANIFEST_FILE),
    ...writes.filter(([p]) => p === MANIFEST_FILE),
  ];
  for (const [relative, content] of ordered) {
    const path = safeJoin(dir, relative);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomically(path, content);
    } catch (error) {
      throw new PlanWriteFailure(relative, error);
    }
  }
  for (const relative of deletes) await rm(safeJoin(dir, relative), { force: true });
}

/**
 * The failure of a commit whose plan is already in the pending file: the change is decided
 * (recovery rolls it forward, it is not rolled back) but not yet on every file, and says so.
 */
function partlyAppliedError(dir: string, error: unknown): UnfoldError {
  const failure = error instanceof PlanWriteFailure ? error : null;
  const diskFull = isDiskFull(failure?.reason ?? error);
  const what = failure ? `could not write ${failure.relative}` : 'a file could not be changed';
  const cause = diskFull
    ? 'The disk is full'
    : `${error instanceof Error ? error.message : String(error)}`;
  return new UnfoldError(
    diskFull ? 'DISK_FULL' : 'CORPUS_COMMIT_PENDING',
    `${cause}: ${what}. The change is saved in ${join(dir, PENDING_COMMIT_FILE)} but not yet written to every file; it is completed the next time the corpus is opened or validated${diskFull ? ' (free some space first)' : ''}.`,
    { commitPending: true, ...(failure ? { file: failure.relative } : {}) },
  );
}

/** True when a failed commit is nevertheless decided (its plan waits in the pending file). */
export function isCommitPending(error: unknown): boolean {
  return error instanceof UnfoldError && error.details?.commitPending === true;
}

/**
 * A lock not refreshed for this long belongs to a process that died (proper-lockfile
 * refreshes live locks every half of it) and is taken over.
 */
const LOCK_STALE_MS = 5_000;
/** Waiting up to ~9 s, longer than LOCK_STALE_MS, so a crashed holder never blocks for good. */
const LOCK_RETRIES = { retries: 25, factor: 1.5, minTimeout: 50, maxTimeout: 400 };

/** Runs `action` while holding the corpus's lock file (`.unfold/lock`), across processes. */
export async function withCorpusLock<T>(dir: string, action: () => Promise<T>): Promise<T> {
  await mkdir(join(dir, STATE_DIR), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, STATE_DIR, 'lock'),
      retries: LOCK_RETRIES,
      stale: LOCK_STALE_MS,
      realpath: false,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new UnfoldError(
        'CORPUS_LOCKED',
        `${dir} is being changed by another window or process; try again when it has finished.`,
      );
    }
    throw error;
  }
  try {
    return await action();
  } finally {
    await release().catch(() => undefined);
  }
}

/**
 * Applies a commit left by a process that died while applying it. The pending file is
 * written atomically, so it is either whole or absent; re-applying it is idempotent.
 */
export async function recoverPendingCommit(dir: string): Promise<boolean> {
  const pendingPath = join(dir, PENDING_COMMIT_FILE);
  try {
    await readFile(pendingPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  return withCorpusLock(dir, async () => {
    // Another process may have finished the recovery while we waited for the lock.
    const again = await readFile(pendingPath, 'utf8').catch(() => null);
    if (again === null) return false;
    const pending = PendingSchema.parse(JSON.parse(again));
    try {
      await applyPlan(dir, pending.writes, pending.deletes);
    } catch (error) {
      if (!(error instanceof PlanWriteFailure)) throw error;
      const diskFull = isDiskFull(error.reason);
      throw new UnfoldError(
        diskFull ? 'DISK_FULL' : 'CORPUS_COMMIT_PENDING',
        `${dir} has a saved change (${PENDING_COMMIT_FILE}) that could not be completed: could not write ${error.relative} (${diskFull ? 'the disk is full; free some space' : error.message}). Open or validate the corpus again once that is fixed.`,
        { commitPending: true, file: error.relative },
      );
    }
    await rm(pendingPath, { force: true });
    return true;
  });
}

/**
 * Commits a change to an existing corpus: under the lock, checks that nobody else changed
 * it since `expectedRevision` (else CORPUS_CHANGED: the caller reloads instead of
 * overwriting), writes the plan ahead, applies it file by file atomically, then clears it.
 * A crash at any point leaves either the old revision or a plan that recovery completes; an
 * error after the plan is written says so (`isCommitPending`), and the caller keeps the new state.
 */
export async function commitCorpusChange(
  dir: string,
  plan: CommitPlan,
  expectedRevision: number,
): Promise<void> {
  await recoverPendingCommit(dir);
  await withCorpusLock(dir, async () => {
    const current = await readManifest(dir);
    if (current.revision !== expectedRevision) {
      throw new UnfoldError(
        'CORPUS_CHANGED',
        `${dir} was changed by another window or process (revision ${current.revision}, this one has ${expectedRevision}). Reload it and redo the change.`,
      );
    }
    const writes = [...plan.writes];
    // A failure here changes nothing: the pending file is written atomically or not at all.
    await writeJsonAtomically(join(dir, PENDING_COMMIT_FILE), { writes, deletes: plan.deletes });
    // From here the change is decided: a failure is reported as such, and recovery (the next
    // open or validate, or the next commit) completes it. Rolling back instead would need
    // writes too, which a full disk refuses just the same.
    try {
      await applyPlan(dir, writes, plan.deletes);
      await rm(join(dir, PENDING_COMMIT_FILE), { force: true });
    } catch (error) {
      throw partlyAppliedError(dir, error);
    }
  });
}

/** Writes a fresh corpus's files (no lock or revision check: the folder is private until renamed). */
export async function writeNewCorpusFiles(dir: string, files: Map<string, string>): Promise<void> {
  try {
    await applyPlan(dir, [...files], []);
  } catch (error) {
    // Nothing is published yet: the write's own error (DISK_FULL: nothing was created) is true.
    throw error instanceof PlanWriteFailure ? error.reason : error;
  }
}
