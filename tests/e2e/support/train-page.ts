import type { Locator, Page } from 'playwright-core';

/** The Train view's controls, by their test ids. */
export class TrainPage {
  constructor(private readonly page: Page) {}

  /** A form control or button: `train-<name>` (name, units, epochs, start, cancel, ...). */
  field(name: string): Locator {
    return this.page.getByTestId(`train-${name}`);
  }

  /** Sets controls by test id suffix: text for inputs and selects, true/false for checkboxes. */
  async setFields(values: Record<string, string | boolean>): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      const control = this.field(name);
      if (typeof value === 'boolean') await control.setChecked(value);
      else if ((await control.evaluate((e) => e.tagName)) === 'SELECT')
        await control.selectOption(value);
      else await control.fill(value);
    }
  }

  get sections(): Locator {
    return this.page.getByTestId('train-section');
  }

  /** The message shown under a field (by its form key, e.g. `units`). */
  issue(field: string): Locator {
    return this.page.locator(`[data-testid="train-issue"][data-field="${field}"]`);
  }

  /** The note under the Training section's augmentation part (how many copies it trains on). */
  get augmentationNote(): Locator {
    return this.page.getByTestId('train-augmentation-note');
  }

  get preview(): Locator {
    return this.page.getByTestId('train-config-preview');
  }

  /** The config the preview shows, parsed. */
  async previewConfig(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.preview.textContent()) ?? '{}') as Record<string, unknown>;
  }

  get lossCurve(): Locator {
    return this.page.getByTestId('train-loss-curve');
  }

  get state(): Locator {
    return this.page.getByTestId('train-state');
  }

  get cancelledNotice(): Locator {
    return this.page.getByTestId('train-cancelled');
  }

  /** Points drawn on the loss canvas so far (the canvas reports them). */
  async lossPoints(): Promise<number> {
    return Number((await this.lossCurve.getAttribute('data-points')) ?? '0');
  }

  experimentRow(name: string): Locator {
    return this.page.locator(`[data-testid="experiment-row"][data-name="${name}"]`);
  }

  async experimentStatus(name: string): Promise<string | null> {
    return this.experimentRow(name).getAttribute('data-status');
  }

  async toggleCompare(name: string): Promise<void> {
    await this.experimentRow(name).getByTestId('compare-toggle').click();
  }

  get comparison(): Locator {
    return this.page.getByTestId('compare-runs');
  }

  diffRow(path: string): Locator {
    return this.page.locator(`[data-testid="config-diff-row"][data-path="${path}"]`);
  }
}
