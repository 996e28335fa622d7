import type { Locator, Page } from 'playwright-core';

/** The jobs panel, opened from the status bar. */
export class JobsPanel {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('jobs-panel');
  }

  get toggle(): Locator {
    return this.page.getByTestId('status-jobs');
  }

  async open(): Promise<void> {
    if (!(await this.root.isVisible())) await this.toggle.click();
    await this.root.waitFor();
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close jobs panel' }).click();
    await this.root.waitFor({ state: 'detached' });
  }

  get cards(): Locator {
    return this.root.getByTestId('job-card');
  }

  job(id: string): Locator {
    return this.root.locator(`[data-testid="job-card"][data-job-id="${id}"]`);
  }

  /** Waits until the job reaches a state (read from the card's data-state). */
  async waitForState(id: string, state: string, timeout = 120_000): Promise<void> {
    await this.root
      .locator(`[data-testid="job-card"][data-job-id="${id}"][data-state="${state}"]`)
      .waitFor({ timeout });
  }

  stateText(id: string): Locator {
    return this.job(id).getByTestId('job-state');
  }

  metrics(id: string): Locator {
    return this.job(id).getByTestId('job-metrics');
  }

  result(id: string): Locator {
    return this.job(id).getByTestId('job-result');
  }

  progressBar(id: string): Locator {
    return this.job(id).getByRole('progressbar');
  }

  async cancel(id: string): Promise<void> {
    await this.job(id).getByRole('button', { name: 'Cancel' }).click();
  }
}
