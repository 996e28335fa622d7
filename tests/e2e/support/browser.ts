import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

export { CHROMIUM_PATH, launchBrowser } from '../../support/chromium';

/**
 * A fresh page in its own context. Console errors and uncaught exceptions are collected so a
 * test can assert that the app did not fail silently.
 */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { page, errors, close: () => context.close() };
}
