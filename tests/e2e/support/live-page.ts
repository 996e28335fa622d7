import type { Locator, Page } from 'playwright-core';

export interface PosteriorgramCounters {
  received: number;
  drawn: number;
  dropped: number;
  painted: number;
}

export interface TopWord {
  label: string;
  probability: number;
}

/** The Live view: experiment and microphone pickers, and the word or phone results. */
export class LivePage {
  constructor(readonly page: Page) {}

  get experimentSelect(): Locator {
    return this.page.getByTestId('live-experiment');
  }

  get deviceSelect(): Locator {
    return this.page.getByTestId('live-device');
  }

  get maxSeconds(): Locator {
    return this.page.getByTestId('live-max-seconds');
  }

  get threshold(): Locator {
    return this.page.getByTestId('live-threshold');
  }

  get task(): Locator {
    return this.page.getByTestId('live-task');
  }

  get startButton(): Locator {
    return this.page.getByTestId('live-start');
  }

  get stopButton(): Locator {
    return this.page.getByTestId('live-stop');
  }

  get state(): Locator {
    return this.page.getByTestId('live-state');
  }

  get error(): Locator {
    return this.page.getByTestId('live-error');
  }

  get stopped(): Locator {
    return this.page.getByTestId('live-stopped');
  }

  get result(): Locator {
    return this.page.getByTestId('live-result');
  }

  get historyRows(): Locator {
    return this.page.getByTestId('live-history-row');
  }

  get latency(): Locator {
    return this.page.getByTestId('live-latency');
  }

  get decoded(): Locator {
    return this.page.getByTestId('live-decoded');
  }

  get spectrogram(): Locator {
    return this.page.getByTestId('live-spectrogram');
  }

  get posteriorgram(): Locator {
    return this.page.getByTestId('live-posteriorgram');
  }

  /** Picks an experiment and a microphone, sets the time limit and starts a session. */
  async start(experiment: string, device: string, maxSeconds: number): Promise<void> {
    await this.experimentSelect
      .locator(`option[value="${experiment}"]`)
      .waitFor({ state: 'attached' });
    await this.experimentSelect.selectOption(experiment);
    await this.deviceSelect.locator(`option[value="${device}"]`).waitFor({ state: 'attached' });
    await this.deviceSelect.selectOption(device);
    await this.maxSeconds.fill(String(maxSeconds));
    await this.startButton.click();
  }

  /** The probability bars of the current result, most probable first. */
  async topWords(): Promise<TopWord[]> {
    return this.page.getByTestId('live-top').evaluateAll((items) =>
      items.map((item) => ({
        label: (item as HTMLElement).dataset.label ?? '',
        probability: Number((item as HTMLElement).dataset.probability),
      })),
    );
  }

  /** The counters the posteriorgram canvas publishes on every animation frame. */
  async posteriorgramCounters(): Promise<PosteriorgramCounters> {
    return this.posteriorgram.evaluate((canvas) => ({
      received: Number(canvas.dataset.columnsReceived ?? 0),
      drawn: Number(canvas.dataset.columnsDrawn ?? 0),
      dropped: Number(canvas.dataset.columnsDropped ?? 0),
      painted: Number(canvas.dataset.columnsPainted ?? 0),
    }));
  }
}
