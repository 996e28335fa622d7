import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import type { WorkerEntry } from '../server/worker-process';

export interface RuntimePaths {
  worker: WorkerEntry;
  rendererDir: string;
  preload: string;
}

/**
 * Where the job worker, the built renderer and the preload are, seen from an entry module:
 * next to it when built (out/main/*.js), or the sources run through tsx when run from src-main.
 */
export function runtimePaths(entryUrl: string): RuntimePaths {
  const entryFile = fileURLToPath(entryUrl);
  const here = dirname(entryFile);
  if (entryFile.endsWith('.ts')) {
    const root = resolve(here, '..', '..');
    return {
      worker: { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] },
      rendererDir: join(root, 'out/renderer'),
      preload: join(root, 'out/preload/index.cjs'),
    };
  }
  return {
    worker: { path: join(here, 'worker.js') },
    rendererDir: join(here, '..', 'renderer'),
    preload: join(here, '..', 'preload', 'index.cjs'),
  };
}
