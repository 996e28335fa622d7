/**
 * The Inside view's heatmap redraw where users see it: the page in this folder (the real
 * UnitHeatmap.svelte with the app's stylesheet, RedrawBench.svelte) is built with vite as the app
 * is (production Svelte, the same svelte.config.js and @api alias), served from a temporary
 * folder on 127.0.0.1 and opened in headless Chromium as the e2e tests start it. Each redraw
 * changes the rows' order or the series (colour map and range) at the start of a frame and is
 * timed to the end of that frame's rendering; the same work is also timed outside the component,
 * split into the render function and the canvas write, and the hover read-out is timed likewise.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { JSHandle } from 'playwright-core';
import sirv from 'sirv';
import { build } from 'vite';
import { launchBrowser } from '../../support/chromium';
import { median, round } from '../../../src-main/domain/bench/side-by-side';
import { REDRAW_BENCH_GLOBAL, type RedrawBenchApi } from './redraw-protocol';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface Spread {
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
}

export interface BrowserRedrawOptions {
  /** Timed redraws (and as many split timings and hovers), after `warmups` of each. */
  redraws: number;
  warmups: number;
  targetMs: number;
  log: (message: string) => void;
}

export interface BrowserRedrawReport extends Spread {
  what: string;
  browser: string;
  pixels: [number, number];
  inputs: string[];
  ms: number[];
  targetMs: number;
  metTarget: boolean | null;
  /** The medians for each input shown (the change that led to it): frame and Svelte flush. */
  byInput: { input: string; medianMs: number | null; flushMedianMs: number | null }[];
  /** The Svelte flush alone (the component's effect: render and canvas write). */
  effect: Spread;
  /** The same work outside the component, timed in parts. */
  split: { seriesRange: Spread; render: Spread; canvasWrite: Spread };
  /** After the timed redraws, the canvas equals renderUnitHeatmap's buffer for the input shown. */
  canvasMatchesRender: boolean;
  hoverReadout: Spread & { ms: number[]; lastText: string };
}

export const spread = (ms: readonly number[]): Spread => ({
  medianMs: round(median(ms), 1),
  minMs: ms.length ? round(Math.min(...ms), 1) : null,
  maxMs: ms.length ? round(Math.max(...ms), 1) : null,
});

async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: import.meta.dirname,
    base: './',
    logLevel: 'warn',
    mode: 'production',
    resolve: { alias: { '@api': resolve(REPO_ROOT, 'src-main/api') } },
    plugins: [svelte({ configFile: resolve(REPO_ROOT, 'svelte.config.js') })],
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
}

async function serveFolder(folder: string): Promise<{ server: Server; origin: string }> {
  const server = createServer(sirv(folder, { dev: true }));
  await new Promise<void>((ready, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', ready);
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export async function measureBrowserRedraw(
  options: BrowserRedrawOptions,
): Promise<BrowserRedrawReport> {
  const { redraws, warmups, targetMs, log } = options;
  const outDir = await mkdtemp(join(tmpdir(), 'unfold-bench-redraw-'));
  let server: Server | null = null;
  const browser = await launchBrowser();
  try {
    log('heatmap redraw: building the bench page');
    await buildPage(outDir);
    const served = await serveFolder(outDir);
    server = served.server;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    await page.goto(`${served.origin}/index.html`);
    await page.waitForSelector('canvas[data-drawn="true"]');
    const bench: JSHandle<RedrawBenchApi> = await page.evaluateHandle(
      (name) => (globalThis as unknown as Record<string, RedrawBenchApi>)[name] as RedrawBenchApi,
      REDRAW_BENCH_GLOBAL,
    );
    const { inputs, width, height } = await bench.evaluate((b) => ({
      inputs: b.inputs,
      width: b.width,
      height: b.height,
    }));
    // Input 0 is shown: the first redraw shows input 1, and so on round the list.
    const inputAt = (i: number): number => (i + 1) % inputs.length;
    const hoverAt = (i: number): [number, number] => [(i * 97 + 13) % width, (i * 61 + 7) % height];

    for (let i = 0; i < warmups; i++) {
      await bench.evaluate((b, index) => b.redraw(index), inputAt(i));
      await bench.evaluate((b, index) => b.split(index), inputAt(i));
      await bench.evaluate((b, [x, y]) => b.hover(x, y), hoverAt(i));
    }
    const total: number[] = [];
    const flush: number[] = [];
    const range: number[] = [];
    const render: number[] = [];
    const canvasWrite: number[] = [];
    const hover: number[] = [];
    let lastText = '';
    for (let i = 0; i < redraws; i++) {
      const drawn = await bench.evaluate((b, index) => b.redraw(index), inputAt(warmups + i));
      total.push(drawn.totalMs);
      flush.push(drawn.flushMs);
      const halves = await bench.evaluate((b, index) => b.split(index), inputAt(warmups + i));
      range.push(halves.rangeMs);
      render.push(halves.renderMs);
      canvasWrite.push(halves.canvasWriteMs);
      const moved = await bench.evaluate((b, [x, y]) => b.hover(x, y), hoverAt(warmups + i));
      hover.push(moved.totalMs);
      lastText = moved.text;
      log(
        `heatmap redraw ${i + 1}/${redraws}: ${drawn.totalMs.toFixed(1)} ms (flush ${drawn.flushMs.toFixed(1)}; ` +
          `range ${halves.rangeMs.toFixed(1)} + render ${halves.renderMs.toFixed(1)} + canvas ${halves.canvasWriteMs.toFixed(1)}), hover ${moved.totalMs.toFixed(1)} ms`,
      );
    }
    const canvasMatchesRender = await bench.evaluate((b) => b.canvasMatchesRender());
    if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
    const totals = spread(total);
    return {
      what:
        'UnitHeatmap.svelte in headless Chromium: a change of row order or series at the start of a frame, ' +
        'to the end of that frame (Svelte flush: seriesRange, renderUnitHeatmap, putImageData; then style, layout, paint)',
      browser: `Chromium ${browser.version()} headless, --disable-gpu`,
      pixels: [width, height],
      inputs,
      ...totals,
      ms: total.map((ms) => round(ms, 1) as number),
      targetMs,
      metTarget: totals.medianMs === null ? null : totals.medianMs < targetMs,
      byInput: inputs.map((input, index) => {
        const shown = (_: number, i: number): boolean => inputAt(warmups + i) === index;
        return {
          input,
          medianMs: round(median(total.filter(shown)), 1),
          flushMedianMs: round(median(flush.filter(shown)), 1),
        };
      }),
      effect: spread(flush),
      split: {
        seriesRange: spread(range),
        render: spread(render),
        canvasWrite: spread(canvasWrite),
      },
      canvasMatchesRender,
      hoverReadout: { ...spread(hover), ms: hover.map((ms) => round(ms, 1) as number), lastText },
    };
  } finally {
    await browser.close();
    if (server) server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}
