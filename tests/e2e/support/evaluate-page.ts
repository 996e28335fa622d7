import type { Locator, Page } from 'playwright-core';

/** The Evaluate view and its utterance inspector, by their test ids. */
export class EvaluatePage {
  constructor(private readonly page: Page) {}

  get experiment(): Locator {
    return this.page.getByTestId('evaluate-experiment');
  }

  get split(): Locator {
    return this.page.getByTestId('evaluate-split');
  }

  get start(): Locator {
    return this.page.getByTestId('evaluate-start');
  }

  get results(): Locator {
    return this.page.getByTestId('evaluation-results');
  }

  /** Runs an evaluation from the controls and waits for its results. */
  async evaluate(experiment: string, split: string): Promise<void> {
    await this.experiment.selectOption(experiment);
    await this.split.selectOption(split);
    await this.start.click();
    await this.page
      .locator('[data-testid="evaluate-state"]', { hasText: 'succeeded' })
      .waitFor({ timeout: 60_000 });
    await this.results.waitFor();
  }

  cell(reference: string, predicted: string): Locator {
    return this.page.locator(
      `[data-testid="confusion-cell"][data-reference="${reference}"][data-predicted="${predicted}"]`,
    );
  }

  /** Rows of a list: cell-utterance, misrecognised-utterance or worst-utterance. */
  rows(list: 'cell-utterance' | 'misrecognised-utterance' | 'worst-utterance'): Locator {
    return this.page.getByTestId(list);
  }

  /** Opens one row's utterance in the inspector and waits until it has loaded. */
  async open(row: Locator): Promise<void> {
    await row.getByTestId('open-utterance').click();
    await this.inspector.and(this.page.locator('[data-ready="true"]')).waitFor({ timeout: 30_000 });
  }

  get inspector(): Locator {
    return this.page.getByTestId('utterance-inspector');
  }

  get heatmap(): Locator {
    return this.inspector.getByTestId('posteriorgram-heatmap');
  }

  get spectrogram(): Locator {
    return this.inspector.getByTestId('inspector-spectrogram');
  }

  get waveform(): Locator {
    return this.inspector.getByTestId('inspector-waveform');
  }

  get classBands(): Locator {
    return this.inspector.getByTestId('class-band');
  }

  referenceTier(name: string): Locator {
    return this.inspector.locator(`[data-testid="reference-tier"][data-tier="${name}"]`);
  }

  get decodedTier(): Locator {
    return this.inspector.getByTestId('decoded-tier');
  }

  get hover(): Locator {
    return this.inspector.getByTestId('inspector-hover');
  }

  get hoverPhones(): Locator {
    return this.inspector.getByTestId('hover-phone');
  }

  /** The read-out's line for the heatmap cell under the pointer: its row and its value. */
  get hoverCell(): Locator {
    return this.inspector.getByTestId('hover-cell');
  }

  /** The posteriorgram's row labels (phones), top to bottom. */
  get rowLabels(): Locator {
    return this.inspector.getByTestId('row-label');
  }

  /** The first line of the hover read-out: the frame's time and index. */
  async hoverFrame(): Promise<{ seconds: string; frame: number }> {
    const text = (await this.hover.textContent()) ?? '';
    const match = /([\d.]+) s\s+·\s+frame (\d+)/.exec(text);
    if (!match) throw new Error(`the hover read-out shows no frame: ${JSON.stringify(text)}`);
    return { seconds: match[1]!, frame: Number(match[2]) };
  }

  /** What the player reports on the inspector: how many playbacks started, and the last window. */
  async playback(): Promise<{ count: number; start: number; end: number }> {
    const [count, start, end] = await Promise.all(
      ['data-play-count', 'data-play-start', 'data-play-end'].map((a) =>
        this.inspector.getAttribute(a),
      ),
    );
    return { count: Number(count), start: Number(start), end: Number(end) };
  }
}
