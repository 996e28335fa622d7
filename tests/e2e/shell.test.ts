import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { BackendStatus } from '@api/app';
import { startServe, type RunningServe } from './support/serve';
import { launchBrowser, openPage } from './support/browser';
import { connectApi } from './support/api-client';
import { BUILT_VIEWS, ShellPage, VIEW_LABELS, type ViewName } from './support/shell-page';

let serve: RunningServe;
let browser: Browser;
let backend: BackendStatus;

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe(), launchBrowser()]);
  // Ask the server which backend it really uses, so the assertion holds on any machine.
  const api = await connectApi(serve.origin, serve.token);
  try {
    backend = await api.client.invoke('app:backend');
  } finally {
    api.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the app shell in a browser', () => {
  it('loads with the token and shows the real backend in the status bar', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      await shell.open(serve.url);
      await shell.waitUntilConnected();
      expect(['tensorflow', 'wasm', 'cpu']).toContain(backend.name);
      await expect.poll(() => shell.backendStatus.textContent()).toContain(backend.name);
      if (backend.name === 'wasm' && backend.simd !== null) {
        expect(await shell.backendStatus.textContent()).toContain(
          backend.simd ? '(SIMD)' : '(no SIMD)',
        );
      }
      // The native kernel builds wherever the README's packages are (as in CI): the status bar
      // says so, with the kernel's reason (its threads) on hover and on the Home card.
      expect(backend.rnnKernel.implementation).toBe('native');
      const kernel = page.getByTestId('status-kernel');
      await expect.poll(() => kernel.textContent()).toContain('native kernel');
      expect(await kernel.getAttribute('title')).toBe(backend.rnnKernel.reason);
      expect(backend.rnnKernel.reason).toMatch(/kernel threads?: /);
      await expect
        .poll(() => page.getByTestId('system-kernel').textContent())
        .toContain(backend.rnnKernel.reason);
      expect(await shell.transportStatus.textContent()).toContain('Browser');
      expect(await shell.jobsButton.textContent()).toContain('No jobs running');
      // Home shows the system status and every check the doctor ran, each with its verdict.
      await expect
        .poll(() => page.getByTestId('system-backend').textContent())
        .toContain(backend.reason);
      await shell.doctorChecks.first().waitFor({ timeout: 60_000 });
      const statuses = await shell.doctorChecks.evaluateAll((items) =>
        items.map((item) => item.getAttribute('data-status')),
      );
      expect(statuses.length).toBeGreaterThan(3);
      for (const status of statuses) expect(['ok', 'warning', 'error']).toContain(status);
      expect(await page.getByTestId('system-status').textContent()).toContain(serve.dataDir);
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('opens every view from the navigation, keeping the token in the URL', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      await shell.open(serve.url);
      await shell.waitUntilConnected();
      for (const view of Object.keys(VIEW_LABELS) as ViewName[]) {
        await shell.navItem(view).click();
        await shell.view(view).waitFor();
        const url = new URL(page.url());
        expect(url.hash).toBe(view === 'home' ? '#/' : `#/${view}`);
        expect(url.searchParams.get('token')).toBe(serve.token);
        expect(await shell.heading.textContent()).toBe(
          view === 'home' ? 'Unfold' : VIEW_LABELS[view],
        );
        expect(await shell.navItem(view).getAttribute('aria-current')).toBe('page');
        if (BUILT_VIEWS.has(view)) {
          // Built views (Home, and each capability once it lands) show no planned panel.
          expect(await shell.plannedPanel.count()).toBe(0);
        } else {
          // Views not built yet say so plainly, and nothing else.
          expect(await shell.plannedPanel.textContent()).toContain('Not available yet');
        }
      }
      // A typed URL opens its view directly, and the back button works.
      await page.goto(`${serve.url}#/corpora`);
      await shell.view('corpora').waitFor();
      await shell.waitUntilConnected();
      await shell.navItem('inside').click();
      await shell.view('inside').waitFor();
      await page.goBack();
      await shell.view('corpora').waitFor();
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('opens and closes the jobs panel from the keyboard without losing focus', async () => {
    const { page, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      await shell.open(serve.url);
      await shell.waitUntilConnected();
      await shell.jobsButton.focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('jobs-panel').waitFor();
      expect(await shell.jobsButton.getAttribute('aria-expanded')).toBe('true');
      expect(await page.locator(':focus').textContent()).toBe('Close');
      await page.keyboard.press('Escape');
      await page.getByTestId('jobs-panel').waitFor({ state: 'detached' });
      expect(await page.locator(':focus').getAttribute('data-testid')).toBe('status-jobs');
    } finally {
      await close();
    }
  });

  it('shows a clear refusal when the page is opened without its token', async () => {
    const { page, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      await shell.open(`${serve.origin}/`);
      await shell.refusal.waitFor();
      const text = await shell.refusal.textContent();
      expect(text).toContain('Open the URL that unfold serve printed, with its token.');
      expect(text).toContain('opened without the access token');
      expect(await shell.navigation.count()).toBe(0);
    } finally {
      await close();
    }
  });

  it('shows the refusal for a wrong token too', async () => {
    const { page, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      await shell.open(`${serve.origin}/?token=not-the-token`);
      await shell.refusal.waitFor();
      const text = await shell.refusal.textContent();
      expect(text).toContain('Open the URL that unfold serve printed, with its token.');
      expect(text).toContain('was not accepted');
    } finally {
      await close();
    }
  });

  it('says when the server goes away', async () => {
    const ownServe = await startServe();
    const { page, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      await shell.open(ownServe.url);
      await shell.waitUntilConnected();
      await ownServe.stop();
      await shell.connectionStatus.filter({ hasText: 'Reconnecting…' }).waitFor();
      expect(await page.getByTestId('connection-lost').textContent()).toContain(
        'open the new URL it prints',
      );
    } finally {
      await close();
      await ownServe.stop();
    }
  });
});
