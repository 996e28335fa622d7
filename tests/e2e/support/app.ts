import type { Browser, Page } from 'playwright-core';
import type { ApiClient } from '@api/client-core';
import { startServe, type RunningServe, type ServeOptions } from './serve';
import { launchBrowser, openPage } from './browser';
import { connectApi } from './api-client';

/** What an e2e file starts once: `unfold serve`, Chromium, and a typed API client to the server. */
export interface E2eApp {
  serve: RunningServe;
  browser: Browser;
  /** The renderer's typed client: tests ask the server what the UI should show. */
  client: ApiClient;
  /** Closes the page (if any), the client, the browser and the server. */
  close(): Promise<void>;
}

/** The same with one page that the file's tests share, and its collected console errors. */
export interface E2eAppWithPage extends E2eApp {
  page: Page;
  pageErrors: string[];
}

/** Starts the server and the browser side by side; on a failure stops what did start. */
export async function startApp(options: ServeOptions = {}): Promise<E2eApp> {
  const [serve, browser] = await Promise.allSettled([startServe(options), launchBrowser()]);
  if (serve.status === 'rejected' || browser.status === 'rejected') {
    if (serve.status === 'fulfilled') await serve.value.stop();
    if (browser.status === 'fulfilled') await browser.value.close();
    throw serve.status === 'rejected' ? serve.reason : (browser as PromiseRejectedResult).reason;
  }
  const close = async (): Promise<void> => {
    await browser.value.close();
    await serve.value.stop();
  };
  try {
    const api = await connectApi(serve.value.origin, serve.value.token);
    return {
      serve: serve.value,
      browser: browser.value,
      client: api.client,
      close: async () => {
        api.close();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** startApp, then one fresh page (see openPage). */
export async function startAppWithPage(options: ServeOptions = {}): Promise<E2eAppWithPage> {
  const app = await startApp(options);
  try {
    const { page, errors, close } = await openPage(app.browser);
    return {
      ...app,
      page,
      pageErrors: errors,
      close: async () => {
        await close();
        await app.close();
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}
