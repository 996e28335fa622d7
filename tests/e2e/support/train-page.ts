import type { Locator, Page } from 'playwright-core';

/** The Train view's controls, by their test ids. */
export class TrainPage {
  constructor(private readonly page: Page) {}

  field(name: string): Locator {
    return this.page.getByTestId(`train-${name}`);
  }

  get lossCurve(): Locator {
    return this.page.getByTestId('train-loss-curve');
  }

  get state(): Locator {
    return this.page.getByTestId('train-state');
  }

  /** Points drawn on the loss canvas so far (the canvas reports them). */
  async lossPoints(): Promise<number> {
    return Number((await this.lossCurve.getAttribute('data-points')) ?? '0');
  }

  experimentRow(name: string): Locator {
    return this.page.locator(`[data-testid="experiment-row"][data-name="${name}"]`);
  }
}
