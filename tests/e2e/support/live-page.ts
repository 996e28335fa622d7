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

export interface HistoryRow {
  kind: string;
  /** The Result cell: the word, 'not sure (guess)', or the silence / unknown label. */
  text: string;
}

export interface HoverReadout {
  frame: number;
  seconds: number;
  phones: TopWord[];
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

  get thresholdValue(): Locator {
    return this.page.getByTestId('live-threshold-value');
  }

  get hover(): Locator {
    return this.page.getByTestId('live-hover');
  }

  get rowLabels(): Locator {
    return this.page.getByTestId('live-row-label');
  }

  get classNames(): Locator {
    return this.page.getByTestId('live-class-name');
  }

  /** Moves the threshold slider as a user would (an input event per change). */
  async setThreshold(threshold: number): Promise<void> {
    await this.threshold.evaluate((element, value) => {
      const input = element as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, threshold);
  }

  /** The history table, newest first. */
  async history(): Promise<HistoryRow[]> {
    return this.historyRows.evaluateAll((rows) =>
      rows.map((row) => ({
        kind: (row as HTMLElement).dataset.kind ?? '',
        text: (row.querySelector('.word')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
  }

  /** Hovers the posteriorgram `fromRight` CSS pixels left of its right edge; reads the tooltip. */
  async hoverPosteriorgram(fromRight: number, y = 20): Promise<HoverReadout> {
    const box = await this.posteriorgram.boundingBox();
    if (!box) throw new Error('the live posteriorgram is not on screen');
    await this.page.mouse.move(box.x + box.width - fromRight, box.y + y);
    return this.readHover();
  }

  /** The hover readout as it is now (the pointer may have stayed while columns scrolled). */
  async readHover(): Promise<HoverReadout> {
    await this.hover.waitFor();
    return this.hover.evaluate((element) => ({
      frame: Number((element as HTMLElement).dataset.frame),
      seconds: Number((element as HTMLElement).dataset.seconds),
      phones: Array.from(
        element.querySelectorAll<HTMLElement>('[data-testid="live-hover-phone"]'),
      ).map((item) => ({
        label: item.dataset.phone ?? '',
        probability: Number(item.dataset.probability),
      })),
    }));
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
