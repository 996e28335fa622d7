import type { Locator, Page } from 'playwright-core';

/** The Corpora view: corpus list, import dialog, utterance table, splits and sentence browser. */
export class CorporaPage {
  constructor(readonly page: Page) {}

  corpus(name: string): Locator {
    return this.page.locator(`[data-testid="corpus-item"][data-corpus="${name}"]`);
  }

  get title(): Locator {
    return this.page.getByTestId('corpus-title');
  }

  get table(): Locator {
    return this.page.getByTestId('utterance-table');
  }

  get rows(): Locator {
    return this.page.getByTestId('utterance-row');
  }

  row(id: string): Locator {
    return this.page.locator(`[data-testid="utterance-row"][data-id="${id}"]`);
  }

  /** The table's total from the server, once loaded. */
  async total(): Promise<number | null> {
    const value = await this.table.getAttribute('data-total');
    return value === null || value === '' ? null : Number(value);
  }

  cell(id: string, field: 'label' | 'speaker' | 'split'): Locator {
    return this.row(id).locator(`button[data-field="${field}"]`);
  }

  async editCell(id: string, field: 'label' | 'speaker' | 'split', value: string): Promise<void> {
    await this.cell(id, field).click();
    const input = this.page.getByTestId('cell-input');
    await input.fill(value);
    await input.press('Enter');
  }

  async importCorpus(options: {
    format: string;
    source: string;
    name: string;
    split?: 'given' | 'speaker' | 'fsdd';
  }): Promise<void> {
    await this.page.getByTestId('open-import').click();
    const dialog = this.page.getByTestId('import-dialog');
    await dialog.getByTestId('import-format').selectOption(options.format);
    await dialog.getByTestId('import-source').fill(options.source);
    if (options.split) await dialog.getByTestId('import-split').selectOption(options.split);
    await dialog.getByTestId('import-name').fill(options.name);
    await dialog.getByTestId('import-start').click();
    await dialog.waitFor({ state: 'detached' });
  }

  statCount(group: 'splits' | 'labels' | 'speakers', key: string): Locator {
    return this.page.locator(`[data-testid="stat-${group}"][data-key="${key}"] .count`);
  }

  chips(): Locator {
    return this.page.getByTestId('token-chip');
  }
}
