import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ApiClient } from '@api/client-core';
import type { SelftestResult } from '@api/jobs';
import { startServe, type RunningServe } from './support/serve';
import { launchBrowser, openPage } from './support/browser';
import { connectApi } from './support/api-client';
import { ShellPage } from './support/shell-page';
import { JobsPanel } from './support/jobs-panel';

let serve: RunningServe;
let browser: Browser;
let api: { client: ApiClient; close(): void };
let page: Page;
let closePage: () => Promise<void>;
let pageErrors: string[];

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe(), launchBrowser()]);
  api = await connectApi(serve.origin, serve.token);
  ({ page, errors: pageErrors, close: closePage } = await openPage(browser));
});

afterAll(async () => {
  await closePage?.();
  api?.close();
  await browser?.close();
  await serve?.stop();
});

describe('jobs from the browser', () => {
  it('runs the self-test from Home to completion and shows its speed', async () => {
    const shell = new ShellPage(page);
    const jobs = new JobsPanel(page);
    await shell.open(serve.url);
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
    expect(await page.getByTestId('job-announcer').textContent()).toContain('succeeded');

    // The UI shows what the server knows.
    const job = await api.client.invoke('jobs:get', { id });
    expect(job.state).toBe('succeeded');
    const result = job.result as SelftestResult | undefined;
    expect(result?.steps).toBe(20);
    expect(result?.stepsPerSecond).toBeGreaterThan(0);
    expect(await jobs.result(id).textContent()).toContain(`on ${result?.backend} at`);
    expect(pageErrors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
  });

  it('cancels a long self-test from the jobs panel', async () => {
    const shell = new ShellPage(page);
    const jobs = new JobsPanel(page);
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

    const job = await api.client.invoke('jobs:get', { id });
    expect(job.state).toBe('cancelled');
  });

  it('lists earlier jobs with their final states on a fresh page', async () => {
    const fresh = await openPage(browser);
    try {
      const shell = new ShellPage(fresh.page);
      const jobs = new JobsPanel(fresh.page);
      await shell.open(serve.url);
      await shell.waitUntilConnected();
      await jobs.open();
      const listed = await api.client.invoke('jobs:list');
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
    const shell = new ShellPage(page);
    await shell.selftestSteps.fill('0');
    expect(await shell.runSelftestButton.isDisabled()).toBe(true);
    expect(await shell.selftestSteps.getAttribute('aria-invalid')).toBe('true');
    await shell.selftestSteps.fill('25');
    expect(await shell.runSelftestButton.isDisabled()).toBe(false);
  });
});
