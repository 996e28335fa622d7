import type { Locator, Page } from 'playwright-core';

export interface LiveCounters {
  received: number;
  drawn: number;
  dropped: number;
  painted: number;
}

/** The Record view: recorder controls, live spectrogram and the inspector of a take. */
export class RecordPage {
  constructor(readonly page: Page) {}

  get deviceSelect(): Locator {
    return this.page.getByTestId('device-select');
  }

  get maxSeconds(): Locator {
    return this.page.getByTestId('max-seconds');
  }

  get recordButton(): Locator {
    return this.page.getByTestId('record-button');
  }

  get stopButton(): Locator {
    return this.page.getByTestId('stop-button');
  }

  get state(): Locator {
    return this.page.getByTestId('recorder-state');
  }

  get liveCanvas(): Locator {
    return this.page.getByTestId('live-spectrogram');
  }

  get lastTake(): Locator {
    return this.page.getByTestId('last-take');
  }

  get inspector(): Locator {
    return this.page.getByTestId('audio-inspector');
  }

  get error(): Locator {
    return this.page.getByTestId('record-error');
  }

  get fileInput(): Locator {
    return this.page.getByTestId('open-file-input');
  }

  /** The counters the live canvas publishes on every animation frame. */
  async liveCounters(): Promise<LiveCounters> {
    return this.liveCanvas.evaluate((canvas) => ({
      received: Number(canvas.dataset.framesReceived ?? 0),
      drawn: Number(canvas.dataset.framesDrawn ?? 0),
      dropped: Number(canvas.dataset.framesDropped ?? 0),
      painted: Number(canvas.dataset.framesPainted ?? 0),
    }));
  }

  /** Pixels of a canvas that are neither transparent nor the colour map's floor colour. */
  static async litPixels(canvas: Locator): Promise<number> {
    return canvas.evaluate((element) => {
      const target = element as HTMLCanvasElement;
      const context = target.getContext('2d');
      if (!context || target.width === 0 || target.height === 0) return 0;
      const { data } = context.getImageData(0, 0, target.width, target.height);
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) {
        // The floor colour of both maps is darker than this; speech is well above it.
        if (data[i + 3] === 255 && data[i]! + data[i + 1]! + data[i + 2]! > 200) lit++;
      }
      return lit;
    });
  }
}
