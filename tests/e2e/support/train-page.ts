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

  /** The live run's loss chart (uPlot, with its legend). */
  get lossCurve(): Locator {
    return this.page.getByTestId('train-curve-loss');
  }

  /** The collapsible config preview (closed until the user opens it). */
  get previewDetails(): Locator {
    return this.page.getByTestId('train-config-details');
  }

  get progress(): Locator {
    return this.page.getByTestId('train-progress');
  }

  get state(): Locator {
    return this.page.getByTestId('train-state');
  }

  get cancelledNotice(): Locator {
    return this.page.getByTestId('train-cancelled');
  }

  /** Points drawn on the loss chart so far (the chart reports them). */
  async lossPoints(): Promise<number> {
    return Number((await this.lossCurve.getAttribute('data-points')) ?? '0');
  }

  /** The Data section's row for a role of the run (train, dev, test): its speakers and items. */
  splitSize(role: string): Locator {
    return this.page.locator(`[data-testid="train-split-size"][data-role="${role}"]`);
  }

  /** The warnings under the split sizes (a role with few speakers or items). */
  get splitWarnings(): Locator {
    return this.page.getByTestId('train-split-warning');
  }

  /** The Accuracy cell of an experiment's row, whitespace collapsed: "97.6% (test)". */
  async experimentAccuracy(name: string): Promise<string> {
    const text = await this.experimentRow(name).getByTestId('experiment-accuracy').textContent();
    return (text ?? '').replace(/\s+/g, ' ').trim();
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

  /** The comparison's loss chart: both runs overlaid. */
  get comparedLoss(): Locator {
    return this.page.getByTestId('compare-loss');
  }

  /** A chart's legend entries as [label, value] (the value follows the hovered point). */
  async legend(chart: Locator): Promise<[string, string][]> {
    const rows = chart.locator('.u-legend .u-series');
    const entries: [string, string][] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      entries.push([
        ((await row.locator('.u-label').textContent()) ?? '').trim(),
        ((await row.locator('.u-value').textContent()) ?? '').trim(),
      ]);
    }
    return entries;
  }

  /** Moves the mouse over a chart's plot area, at a fraction of its width and height. */
  async hover(chart: Locator, fx: number, fy: number): Promise<void> {
    const over = chart.locator('.u-over');
    await over.scrollIntoViewIfNeeded();
    const box = await over.boundingBox();
    if (!box) throw new Error('The chart has no plot area on screen.');
    await this.page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 4 });
  }

  /** Drags across a chart's plot area, from one fraction of its width to another (a zoom). */
  async drag(chart: Locator, fromX: number, toX: number): Promise<void> {
    await this.hover(chart, fromX, 0.5);
    const box = await chart.locator('.u-over').boundingBox();
    if (!box) throw new Error('The chart has no plot area on screen.');
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * toX, box.y + box.height * 0.5, { steps: 6 });
    await this.page.mouse.up();
  }

  /** Whether an element's top edge is inside the window (scrolled into view). */
  async inViewport(locator: Locator): Promise<boolean> {
    return locator.evaluate((e) => {
      const rect = e.getBoundingClientRect();
      // scrollIntoView can leave a fractional layout's top a fraction of a pixel above 0.
      return rect.top > -1 && rect.top < window.innerHeight && rect.bottom > 0;
    });
  }

  diffRow(path: string): Locator {
    return this.page.locator(`[data-testid="config-diff-row"][data-path="${path}"]`);
  }
}
