/** Files the page offers for download, as a test reads them. */
import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';

/** Clicks `button` and returns the file the browser downloads: its name and bytes. */
export async function downloadOf(button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([button.page().waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}
