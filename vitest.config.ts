import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/** Unit specs that replace modules (vi.mock): they run isolated, in their own project. */
export const MOCKING_SPECS = ['src-main/domain/corpus/store/disk-full.spec.ts'];

export default defineConfig({
  resolve: { alias: { '@api': fileURLToPath(new URL('./src-main/api', import.meta.url)) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'src-main/**/*.spec.ts',
            'src-renderer/**/*.spec.ts',
            'tests/unit/**/*.test.ts',
          ],
          exclude: MOCKING_SPECS,
          environment: 'node',
          // Spec files share their workers' module cache: importing TF.js and the domain once per
          // worker instead of once per file takes the project from ~200 s to ~60 s on two cores.
          // A spec that replaces a module (vi.mock) needs a fresh cache: see unit-mocking below.
          isolate: false,
          testTimeout: 60_000,
          // The contract's type pins (tests/types/*.test-d.ts) are checked by the type check step
          // (tsconfig.node.json includes them; a broken pin is a tsc error), not a second tsc here.
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-mocking',
          include: MOCKING_SPECS,
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // Two files at a time on two cores (vitest's default here is one): much of a file's
          // time is spent waiting on the processes, jobs and paced audio it starts (271 s
          // against 304 s for the project with one core kept busy).
          maxWorkers: 2,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          // One browser and one server at a time: the machine has two cores.
          fileParallelism: false,
          // A page's answer to a click can take seconds on a loaded machine (vitest's default
          // is 1 s): a poll waits up to this long unless the test says otherwise.
          expect: { poll: { timeout: 20_000 } },
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
