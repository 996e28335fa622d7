import { appendFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src-main/domain/audio/wav';
import { CorpusSession } from '../../src-main/domain/corpus/index';
import { REPO_ROOT } from './support/serve';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { runJob } from './support/jobs';
import { ShellPage } from './support/shell-page';
import { CorporaPage } from './support/corpora-page';

let app: E2eAppWithPage;
let sourceDir: string;

/** A tone whose length tells the takes apart. */
function tone(seconds: number, hz: number): Uint8Array {
  const sampleRate = 16_000;
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++)
    samples[i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / sampleRate) * Math.min(1, i / 400);
  return encodeWav({ sampleRate, samples }, { bitDepth: 16 });
}

beforeAll(async () => {
  // A small Free Spoken Digit-style folder: {label}_{speaker}_{take}.wav, in a path with a space.
  sourceDir = join(await mkdtemp(join(tmpdir(), 'unfold-e2e-src-')), 'my recordings');
  await mkdir(sourceDir);
  const writes: Promise<void>[] = [];
  for (const label of ['no', 'yes'])
    for (const speaker of ['alice', 'bob', 'carol'])
      for (let take = 0; take < 6; take++)
        writes.push(
          writeFile(
            join(sourceDir, `${label}_${speaker}_${take}.wav`),
            tone(0.2 + 0.05 * take, label === 'yes' ? 440 : 660),
          ),
        );
  await Promise.all(writes);
  app = await startAppWithPage();
}, 90_000);

afterAll(async () => {
  await app?.close();
  if (sourceDir) await rm(join(sourceDir, '..'), { recursive: true, force: true });
});

describe('the Corpora view', () => {
  it('imports a folder of WAV files from the import dialog', async () => {
    const shell = new ShellPage(app.page);
    const corpora = new CorporaPage(app.page);
    await shell.open(`${app.serve.url}#/corpora`);
    await shell.waitUntilConnected();
    await app.page.getByTestId('no-corpora').waitFor();

    await corpora.importCorpus({
      format: 'pattern',
      source: sourceDir,
      name: 'digits',
      split: 'fsdd',
    });
    // The job shows in the jobs panel, and the corpus appears when it is done.
    await app.page.getByTestId('jobs-panel').waitFor();
    await corpora.corpus('digits').waitFor({ timeout: 60_000 });
    expect(await corpora.corpus('digits').textContent()).toContain('36 utterances');
    await app.page
      .getByTestId('jobs-panel')
      .getByRole('button', { name: /close/i })
      .first()
      .click();
  });

  it('shows a virtualised, filterable table with statistics', async () => {
    const corpora = new CorporaPage(app.page);
    await corpora.corpus('digits').click();
    await expect.poll(() => corpora.total()).toBe(36);
    await corpora.rows.first().waitFor();
    // Only the rows in view (plus a margin) are in the DOM.
    const rendered = await corpora.rows.count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(36);
    expect(await corpora.statCount('splits', 'test').textContent()).toBe('30');
    expect(await corpora.statCount('labels', 'yes').textContent()).toBe('18');

    await app.page.getByTestId('filter-label').selectOption('yes');
    await expect.poll(() => corpora.total()).toBe(18);
    await app.page.getByTestId('filter-speaker').selectOption('alice');
    await expect.poll(() => corpora.total()).toBe(6);
    await app.page.getByTestId('filter-min').fill('0.4');
    await app.page.getByTestId('filter-min').press('Enter');
    await expect.poll(() => corpora.total()).toBe(2);
    const ids = await corpora.rows.evaluateAll((rows) =>
      rows.map((r) => r.getAttribute('data-id')),
    );
    expect(ids).toEqual(['alice-yes_4', 'alice-yes_5']);
    await app.page.getByTestId('filter-min').fill('');
    await app.page.getByTestId('filter-min').press('Enter');
    await app.page.getByTestId('filter-label').selectOption('');
    await app.page.getByTestId('filter-speaker').selectOption('');
    await expect.poll(() => corpora.total()).toBe(36);

    // Scrolling to the end fetches and shows the last rows.
    await app.page.locator('[data-testid="utterance-table"] [role="rowgroup"]').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await corpora.row('carol-yes_5').waitFor();
  });

  it('edits a label inline, then undoes and redoes it', async () => {
    const corpora = new CorporaPage(app.page);
    await app.page.locator('[data-testid="utterance-table"] [role="rowgroup"]').evaluate((el) => {
      el.scrollTop = 0;
    });
    const id = 'alice-no_0';
    await corpora.row(id).waitFor();
    await corpora.editCell(id, 'label', 'maybe');
    await expect.poll(() => corpora.cell(id, 'label').textContent()).toBe('maybe');
    await expect.poll(() => corpora.statCount('labels', 'maybe').textContent()).toBe('1');
    const server = await app.client.invoke('corpus:utterances', {
      corpus: 'digits',
      filter: { label: 'maybe' },
    });
    expect(server.rows.map((r) => r.id)).toEqual([id]);

    await app.page.getByTestId('undo').click();
    await expect.poll(() => corpora.cell(id, 'label').textContent()).toBe('no');
    // Ctrl+Shift+Z redoes, Ctrl+Z undoes, from anywhere outside a text field.
    await app.page.locator('body').press('Control+Shift+Z');
    await expect.poll(() => corpora.cell(id, 'label').textContent()).toBe('maybe');
    await app.page.locator('body').press('Control+z');
    await expect.poll(() => corpora.cell(id, 'label').textContent()).toBe('no');
    expect(
      (
        await app.client.invoke('corpus:utterances', {
          corpus: 'digits',
          filter: { label: 'maybe' },
        })
      ).total,
    ).toBe(0);
  });

  it('previews a split by speaker with its counts, then applies it', async () => {
    const corpora = new CorporaPage(app.page);
    await app.page.getByTestId('split-train').fill('0.67');
    await app.page.getByTestId('split-dev').fill('0');
    await app.page.getByTestId('split-test').fill('0.33');
    await app.page.getByTestId('split-seed').fill('1');
    await app.page.getByTestId('split-preview').click();
    const counts = app.page.getByTestId('split-counts');
    await counts.waitFor();
    const preview = await app.client.invoke('corpus:split', {
      corpus: 'digits',
      request: { by: 'speaker', fractions: { train: 0.67, test: 0.33 }, seed: 1 },
      dryRun: true,
    });
    for (const [split, c] of Object.entries(preview.counts)) {
      expect(await counts.locator(`tr[data-split="${split}"] td`).nth(1).textContent()).toBe(
        String(c.utterances),
      );
    }
    // Nothing changed yet.
    expect(await corpora.statCount('splits', 'test').textContent()).toBe('30');

    await app.page.getByTestId('split-apply').click();
    const trainCount = String(preview.counts.train?.utterances ?? 0);
    await expect.poll(() => corpora.statCount('splits', 'train').textContent()).toBe(trainCount);
    const overview = await app.client.invoke('corpus:overview', { corpus: 'digits' });
    expect(overview.splitMethod).toMatchObject({ method: 'speaker', seed: 1 });
  });

  it('refuses an edit after another program changed the corpus, and reloads', async () => {
    const corpora = new CorporaPage(app.page);
    // Another process (here: this test, through the domain) commits a change.
    const other = await CorpusSession.open(join(app.serve.dataDir, 'corpora', 'digits'));
    await other.apply({
      type: 'set-utterance',
      id: 'bob-no_1',
      changes: { text: 'elsewhere' },
    });
    await corpora.editCell('bob-no_0', 'label', 'mine');
    const banner = app.page.getByTestId('edit-error');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/changed by another window or process/);
    await app.page.getByTestId('reload').click();
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => corpora.cell('bob-no_1', 'label').textContent()).toBe('elsewhere');
    await corpora.editCell('bob-no_0', 'label', 'mine');
    await expect.poll(() => corpora.cell('bob-no_0', 'label').textContent()).toBe('mine');
  });

  it('edits a word region of an utterance in the editor', async () => {
    const corpora = new CorporaPage(app.page);
    // Give one recording a words tier (as a synthesiser or an aligner would).
    await app.client.invoke('corpus:tier-edit', {
      corpus: 'digits',
      recordingId: 'alice-no_0',
      tier: 'words',
      operation: { op: 'create', start: 0.05, end: 0.15, text: 'no' },
    });
    await corpora.row('alice-no_0').getByTestId('open-utterance').click();
    const editor = app.page.getByTestId('utterance-editor');
    await editor.waitFor();
    await expect
      .poll(() => editor.getByTestId('editor-play').isEnabled(), { timeout: 15_000 })
      .toBe(true);
    const word = editor.locator('[data-testid="interval"][data-text="no"]');
    await word.dblclick();
    const input = editor.getByTestId('rename-input');
    await input.fill('nope');
    await input.press('Enter');
    await editor.locator('[data-testid="interval"][data-text="nope"]').waitFor();
    const detail = await app.client.invoke('corpus:utterance', {
      corpus: 'digits',
      id: 'alice-no_0',
    });
    const words = detail.alignment?.tiers.find((t) => t.name === 'words');
    expect(words?.kind === 'interval' && words.intervals.map((i) => i.text)).toEqual([
      '',
      'nope',
      '',
    ]);

    // Delete clears the selected region; Ctrl+Z in the editor brings it back.
    await editor.locator('[data-testid="interval"][data-text="nope"]').click();
    await app.page.keyboard.press('Delete');
    await expect
      .poll(() => editor.locator('[data-testid="interval"][data-text="nope"]').count())
      .toBe(0);
    await app.page.keyboard.press('Control+z');
    await editor.locator('[data-testid="interval"][data-text="nope"]').waitFor();

    // Dragging the boundary before the word moves it (one more undoable edit).
    const boundary = editor.locator('[data-tier="words"] [data-testid="boundary"]').first();
    const box = await boundary.boundingBox();
    expect(box).not.toBeNull();
    await app.page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    await app.page.mouse.down();
    await app.page.mouse.move(box!.x + box!.width / 2 + 60, box!.y + box!.height / 2, { steps: 5 });
    await app.page.mouse.up();
    await expect
      .poll(async () => {
        const moved = await app.client.invoke('corpus:utterance', {
          corpus: 'digits',
          id: 'alice-no_0',
        });
        const tier = moved.alignment?.tiers.find((t) => t.name === 'words');
        return tier?.kind === 'interval' ? tier.intervals[1]?.xmin : undefined;
      })
      .toBeGreaterThan(0.055);

    // Dragging across the waveform proposes a new region; naming it adds it to the tier.
    const wave = await editor.getByTestId('editor-waveform').boundingBox();
    expect(wave).not.toBeNull();
    const y = wave!.y + wave!.height / 2;
    await app.page.mouse.move(wave!.x + wave!.width * 0.8, y);
    await app.page.mouse.down();
    await app.page.mouse.move(wave!.x + wave!.width * 0.95, y, { steps: 8 });
    await app.page.mouse.up();
    const pending = editor.getByTestId('pending-span');
    await pending.waitFor();
    await pending.getByTestId('pending-text').fill('end');
    await pending.getByTestId('pending-text').press('Enter');
    await editor.locator('[data-testid="interval"][data-text="end"]').waitFor();
    await app.page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
  });

  it('changes a CoNLL-U tag by clicking its chip', async () => {
    const corpora = new CorporaPage(app.page);
    const job = await runJob(app.client, {
      kind: 'corpus-import',
      params: {
        format: 'conllu',
        source: join(REPO_ROOT, 'tests/fixtures/corpus/ud-ewt'),
        out: 'ewt',
      },
    });
    expect(job.state).toBe('succeeded');
    await corpora.corpus('ewt').click();
    await app.page.getByTestId('sentence-browser').waitFor();
    await app.page.getByTestId('tag-legend').waitFor();
    const first = app.page.getByTestId('sentence').first();
    await first.getByTestId('token-chip').first().waitFor();
    const split = (await first.getAttribute('data-split')) ?? '';
    const index = Number(await first.getAttribute('data-index'));
    const chip = first.getByTestId('token-chip').first();
    const before = await chip.getAttribute('data-upos');
    const after = before === 'INTJ' ? 'NOUN' : 'INTJ';
    await chip.click();
    await app.page
      .getByTestId('tag-menu')
      .getByRole('menuitemradio', { name: after, exact: true })
      .click();
    await expect
      .poll(() => first.getByTestId('token-chip').first().getAttribute('data-upos'))
      .toBe(after);
    const sentences = await app.client.invoke('corpus:sentences', {
      corpus: 'ewt',
      filter: { split },
      offset: index,
      limit: 1,
    });
    expect(sentences.rows[0]?.words?.[0]?.upos).toBe(after);

    // A broken line is reported by file and line after a validation.
    await appendFile(
      join(app.serve.dataDir, 'corpora', 'ewt', 'text', 'train.conllu'),
      '1\tbroken\n\n',
    );
    await app.page.getByTestId('validate').click();
    const problems = app.page.getByTestId('validation-problems');
    await problems.waitFor({ timeout: 30_000 });
    expect(await problems.textContent()).toMatch(/text\/train\.conllu:\d+: /);
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});

describe('the Corpora table with many long-named speakers', () => {
  const speakers = Array.from(
    { length: 10 },
    (_, k) => `longspeakername${String(k).padStart(2, '0')}`,
  );

  beforeAll(async () => {
    const dir = join(sourceDir, '..', 'ten speakers');
    await mkdir(dir);
    await Promise.all(
      speakers.flatMap((speaker) =>
        [0, 1].flatMap((take) =>
          ['yes', 'no'].map((label) =>
            writeFile(join(dir, `${label}_${speaker}_${take}.wav`), tone(0.2, 440)),
          ),
        ),
      ),
    );
    const job = await runJob(app.client, {
      kind: 'corpus-import',
      params: {
        format: 'pattern',
        pattern: '{label}_{speaker}_{take}.wav',
        source: dir,
        out: 'ten',
        split: { by: 'speaker' },
      },
    });
    expect(job.state).toBe('succeeded');
  }, 60_000);

  it('tells rows apart, resizes columns, and shows every speaker and the whole Re-split panel', async () => {
    const shell = new ShellPage(app.page);
    const corpora = new CorporaPage(app.page);
    await app.page.setViewportSize({ width: 1280, height: 800 });
    await shell.open(`${app.serve.url}#/corpora`);
    await shell.waitUntilConnected();
    await corpora.corpus('ten').click();
    await expect.poll(() => corpora.total()).toBe(40);
    await corpora.rows.first().waitFor();

    // The id column shows the part after the speaker, the full id in its title: no two rows alike.
    const shown = await corpora.rows.evaluateAll((rows) =>
      rows.map((r) => {
        const open = r.querySelector('[data-testid="open-utterance"]') as HTMLElement;
        const speaker = r.querySelector('button[data-field="speaker"]')?.textContent ?? '';
        return { id: r.dataset.id, text: open.textContent, title: open.title, speaker };
      }),
    );
    expect(shown.length).toBeGreaterThan(4);
    expect(new Set(shown.map((r) => `${r.speaker}|${r.text}`)).size).toBe(shown.length);
    for (const row of shown) {
      expect(row.id).toMatch(/^longspeakername\d\d-(yes|no)_\d$/);
      expect(row.text).toBe(row.id!.slice('longspeakername00-'.length));
      expect(row.title).toContain(row.id);
    }
    // Unaligned rows say so.
    expect(await corpora.rows.first().getByTestId('aligned-cell').textContent()).toBe('—');

    // Headers are separate columns, and dragging an edge widens one.
    const header = app.page.getByTestId('column-label');
    const before = Number(await header.getAttribute('data-width'));
    const grip = (await app.page.getByTestId('resize-label').boundingBox())!;
    await app.page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await app.page.mouse.down();
    await app.page.mouse.move(grip.x + grip.width / 2 + 80, grip.y + grip.height / 2, { steps: 4 });
    await app.page.mouse.up();
    expect(Number(await header.getAttribute('data-width'))).toBe(before + 80);

    // Every one of the 10 speakers is listed (not the first 8).
    await expect.poll(() => app.page.getByTestId('stat-speakers').count()).toBe(speakers.length);

    // The Re-split buttons can be scrolled to and are not clipped by the panel.
    for (const testid of ['split-preview', 'split-apply']) {
      const button = app.page.getByTestId(testid);
      await button.scrollIntoViewIfNeeded();
      const hit = await button.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const points = [
          [box.left + 2, box.top + 2],
          [box.right - 2, box.bottom - 2],
        ];
        return points.every(([x, y]) => {
          const top = document.elementFromPoint(x!, y!);
          return top !== null && (top === el || el.contains(top));
        });
      });
      expect(hit, `${testid} fully visible`).toBe(true);
    }
  });
});
