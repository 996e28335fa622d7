#!/usr/bin/env node
// `npm test`: every check that must pass, in order, with one summary at the end.
// Type check and lint first, side by side (each is one thread: together they use the machine's
// two cores), then the build the CLI and browser tests use, then the vitest projects one after
// another (each uses both cores; parallel projects would fight).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

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

// Each stage's steps run at once; a stage starts when the one before has ended.
const stages = [
  [
    { name: 'type check', command: 'npm', args: ['run', '--silent', 'typecheck'] },
    { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  ],
  [{ name: 'build', command: 'npm', args: ['run', '--silent', 'build'] }],
  [vitest('unit', ['unit', 'unit-mocking'])],
  [vitest('integration')],
  [vitest('e2e')],
];

/**
 * Runs a step; alone it prints as it goes, beside others its output is held and printed whole
 * when it ends, so two steps' lines never interleave.
 */
function runStep(step, alone) {
  return new Promise((resolve) => {
    if (alone) process.stdout.write(`\n=== ${step.name} ===\n`);
    const started = Date.now();
    const child = spawn(step.command, step.args, {
      cwd: root,
      stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const held = [];
    child.stdout?.on('data', (chunk) => held.push(chunk));
    child.stderr?.on('data', (chunk) => held.push(chunk));
    const end = (status) => {
      if (!alone) process.stdout.write(`\n=== ${step.name} ===\n${Buffer.concat(held)}`);
      resolve({ status, seconds: ((Date.now() - started) / 1000).toFixed(1) });
    };
    child.on('error', (error) => {
      held.push(Buffer.from(`${error.message}\n`));
      end(null);
    });
    child.on('close', (code) => end(code));
  });
}

const outcomes = [];
const failures = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const stage of stages) {
  const runs = await Promise.all(stage.map((step) => runStep(step, stage.length === 1)));
  stage.forEach((step, i) => record(step, runs[i]));
}

function record(step, { status, seconds }) {
  let counts = '';
  if (step.results && existsSync(step.results)) {
    const report = JSON.parse(readFileSync(step.results, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    counts = ` (${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped)`;
    // Name every failed test in the summary: a long log may not keep the reporter's own lines.
    for (const file of report.testResults ?? []) {
      const failed = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
      for (const test of failed)
        failures.push(
          `${relative(root, file.name)} > ${test.fullName}: ${String(test.failureMessages?.[0] ?? '').split('\n')[0]}`,
        );
      if (failed.length === 0 && file.status === 'failed')
        failures.push(`${relative(root, file.name)}: ${String(file.message ?? '').split('\n')[0]}`);
    }
  }
  const ok = status === 0;
  outcomes.push({
    name: step.name,
    ok,
    line: `${ok ? 'PASS' : 'FAIL'}  ${step.name}${counts} in ${seconds}s`,
  });
}

process.stdout.write('\n=== summary ===\n');
for (const outcome of outcomes) process.stdout.write(`${outcome.line}\n`);
for (const failure of failures) process.stdout.write(`  failed: ${failure}\n`);
const failedSteps = outcomes.filter((outcome) => !outcome.ok);
process.stdout.write(
  `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
if (failedSteps.length > 0) {
  process.stdout.write(`npm test FAILED: ${failedSteps.map((s) => s.name).join(', ')}\n`);
  process.exit(1);
}
process.stdout.write('npm test passed\n');
