#!/usr/bin/env node
// `npm test`: every check that must pass, in order, with one summary at the end.
// Type check and lint first (cheap), then the build the CLI and browser tests use, then the
// vitest projects one after another (the machine has two cores; parallel projects would fight).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const resultsDir = join(root, 'out', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

// `projects`: the vitest projects of the step (unit specs that mock modules have their own).
const vitest = (project, projects = [project]) => ({
  name: `${project} tests`,
  command: 'npx',
  args: [
    'vitest',
    'run',
    ...projects.flatMap((name) => ['--project', name]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(resultsDir, `${project}.json`)}`,
  ],
  results: join(resultsDir, `${project}.json`),
});

const steps = [
  { name: 'type check', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'build', command: 'npm', args: ['run', '--silent', 'build'] },
  vitest('unit', ['unit', 'unit-mocking']),
  vitest('integration'),
  vitest('e2e'),
];

const outcomes = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const step of steps) {
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const started = Date.now();
  const run = spawnSync(step.command, step.args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let counts = '';
  if (step.results && existsSync(step.results)) {
    const report = JSON.parse(readFileSync(step.results, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    counts = ` (${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped)`;
  }
  const ok = run.status === 0;
  outcomes.push({
    name: step.name,
    ok,
    line: `${ok ? 'PASS' : 'FAIL'}  ${step.name}${counts} in ${seconds}s`,
  });
}

process.stdout.write('\n=== summary ===\n');
for (const outcome of outcomes) process.stdout.write(`${outcome.line}\n`);
const failedSteps = outcomes.filter((outcome) => !outcome.ok);
process.stdout.write(
  `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
if (failedSteps.length > 0) {
  process.stdout.write(`npm test FAILED: ${failedSteps.map((s) => s.name).join(', ')}\n`);
  process.exit(1);
}
process.stdout.write('npm test passed\n');
