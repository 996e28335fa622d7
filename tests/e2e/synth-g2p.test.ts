/**
 * The synthesis dialog's G2P switch in a browser: sentences mode offers the trained seq2seq
 * experiments for the words CMUdict lacks; with the toy G2P model chosen, the job's summary
 * names the word it pronounced and the new corpus's manifest keeps the note.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { TOY_G2P_WORD, trainToyG2p } from '../support/toy-g2p';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { JobsPanel } from './support/jobs-panel';
import { ShellPage } from './support/shell-page';

const canSynthesise = await hasProgram('flite');
const G2P = 'toy-g2p';
const CORPUS = 'g2p-sentences';

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  await trainToyG2p(app.serve.dataDir, G2P);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe.skipIf(!canSynthesise)('the synthesis dialog with a G2P model', () => {
  it('pronounces the words CMUdict lacks with the chosen model and says so', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    await shell.open(`${app.serve.url}#/corpora`);
    await shell.waitUntilConnected();
    await page.getByTestId('open-synth').click();
    const dialog = page.getByTestId('synth-dialog');
    // The voices arrive after the dialog opens and push its fields down: wait for them before
    // clicking, or a click can land where a field was a moment before.
    const voices = dialog.locator('.voice input[type="checkbox"]');
    await voices.first().waitFor();
    await dialog.getByLabel('Sentences with phone alignments').check();
    await dialog.getByTestId('synth-text').fill(`The ${TOY_G2P_WORD}.`);
    // One flite voice keeps the job short.
    for (const box of await voices.all()) await box.uncheck();
    await dialog.locator('.voice', { hasText: 'kal16' }).locator('input').check();
    await dialog.getByTestId('synth-g2p').selectOption(G2P);
    await dialog.getByTestId('synth-name').fill(CORPUS);
    await dialog.getByRole('button', { name: 'Start synthesis' }).click();
    await dialog.waitFor({ state: 'detached' });

    const jobs = new JobsPanel(page);
    await jobs.open();
    const [job] = (await app.client.invoke('jobs:list')).filter(
      (j) => j.kind === 'corpus-synth-sentences',
    );
    expect(job).toBeDefined();
    await jobs.waitForState(job?.id ?? '', 'succeeded', 60_000);
    await expect
      .poll(() => jobs.result(job?.id ?? '').textContent())
      .toContain(`G2P ${G2P} pronounced ${TOY_G2P_WORD}`);
    const manifest = JSON.parse(
      await readFile(join(app.serve.dataDir, 'corpora', CORPUS, 'corpus.json'), 'utf8'),
    ) as { g2p?: { experiment: string; words: Record<string, string> } };
    expect(manifest.g2p?.experiment).toBe(G2P);
    expect(Object.keys(manifest.g2p?.words ?? {})).toEqual([TOY_G2P_WORD]);
  });
});
