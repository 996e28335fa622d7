import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SelftestResult } from '@api/jobs';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { openPage } from './support/browser';
import { ShellPage } from './support/shell-page';
import { JobsPanel } from './support/jobs-panel';
import { runJob } from './support/jobs';

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
});

afterAll(async () => {
  await app?.close();
});

describe('jobs from the browser', () => {
  it('runs the self-test from Home to completion and shows its speed', async () => {
    const shell = new ShellPage(app.page);
    const jobs = new JobsPanel(app.page);
    await shell.open(app.serve.url);
    await shell.waitUntilConnected();

    const id = await shell.runSelftest(20);
    await jobs.open();
    await jobs.waitForState(id, 'succeeded');

    expect(await jobs.stateText(id).textContent()).toContain('Succeeded');
    expect(await jobs.metrics(id).textContent()).toMatch(/steps\/s\s*[\d.,]+/);
    expect(await jobs.result(id).textContent()).toMatch(/^20 steps on \w+ at [\d.,]+ steps\/s/);
    expect(await jobs.progressBar(id).getAttribute('aria-valuenow')).toBe('100');
    await expect.poll(() => shell.jobsButton.textContent()).toContain('No jobs running');
    // Screen readers hear the outcome.
    expect(await app.page.getByTestId('job-announcer').textContent()).toContain('succeeded');

    // The UI shows what the server knows.
    const job = await app.client.invoke('jobs:get', { id });
    expect(job.state).toBe('succeeded');
    const result = job.result as SelftestResult | undefined;
    expect(result?.steps).toBe(20);
    expect(result?.stepsPerSecond).toBeGreaterThan(0);
    expect(await jobs.result(id).textContent()).toContain(`on ${result?.backend} at`);
    expect(app.pageErrors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
  });

  it('cancels a long self-test from the jobs panel', async () => {
    const shell = new ShellPage(app.page);
    const jobs = new JobsPanel(app.page);
    await jobs.close();
    const id = await shell.runSelftest(1_000_000);
    await jobs.open();
    await jobs.waitForState(id, 'running', 60_000);
    expect(await shell.jobsButton.textContent()).toContain('1 job running');

    await jobs.cancel(id);
    await jobs.waitForState(id, 'cancelled', 60_000);
    expect(await jobs.stateText(id).textContent()).toContain('Cancelled');
    expect(await jobs.job(id).getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    await expect.poll(() => shell.jobsButton.textContent()).toContain('No jobs running');

    const job = await app.client.invoke('jobs:get', { id });
    expect(job.state).toBe('cancelled');
  });

  it('lists earlier jobs with their final states on a fresh page', async () => {
    const fresh = await openPage(app.browser);
    try {
      const shell = new ShellPage(fresh.page);
      const jobs = new JobsPanel(fresh.page);
      await shell.open(app.serve.url);
      await shell.waitUntilConnected();
      await jobs.open();
      const listed = await app.client.invoke('jobs:list');
      expect(listed).toHaveLength(2);
      await expect.poll(() => jobs.cards.count()).toBe(2);
      for (const job of listed) {
        expect(await jobs.job(job.id).getAttribute('data-state')).toBe(job.state);
      }
    } finally {
      await fresh.close();
    }
  });

  it('refuses to start a self-test with an invalid number of steps', async () => {
    const shell = new ShellPage(app.page);
    await shell.selftestSteps.fill('0');
    expect(await shell.runSelftestButton.isDisabled()).toBe(true);
    expect(await shell.selftestSteps.getAttribute('aria-invalid')).toBe('true');
    await shell.selftestSteps.fill('25');
    expect(await shell.runSelftestButton.isDisabled()).toBe(false);
  });

  it('shows a job that failed before its first report as Failed, with its error said once', async () => {
    const jobs = new JobsPanel(app.page);
    const job = await runJob(app.client, {
      kind: 'experiment-evaluate',
      params: { experiment: 'no-such-experiment' },
    });
    expect(job.state).toBe('failed');
    await jobs.open();
    await jobs.waitForState(job.id, 'failed');
    expect(await jobs.stateText(job.id).textContent()).toContain('Failed');
    const error = (await jobs.job(job.id).getByTestId('job-error').textContent()) ?? '';
    expect(error).toContain(job.error?.message ?? 'an error message');
    // "ENOENT: ENOENT: no such file" was the bug: the code said twice.
    expect(error).not.toMatch(/(\w+): \1:/);
    expect(await jobs.job(job.id).textContent()).not.toMatch(/waiting to start/i);
  });
});
