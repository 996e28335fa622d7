import type { Locator, Page } from 'playwright-core';

export const VIEW_LABELS = {
  home: 'Home',
  record: 'Record',
  corpora: 'Corpora',
  train: 'Train',
  evaluate: 'Evaluate',
  live: 'Live',
  text: 'Text',
  inside: 'Inside',
} as const;
export type ViewName = keyof typeof VIEW_LABELS;

/** Views that are built (the others show the "Not available yet" panel); mirrors `plan` in views.ts. */
export const BUILT_VIEWS: ReadonlySet<ViewName> = new Set<ViewName>([
  'home',
  'record',
  'corpora',
  'train',
  'evaluate',
  'live',
  'text',
  'inside',
]);

/** The app shell: navigation, views, status bar and the Home view's controls. */
export class ShellPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  /** Waits until the shell is up and connected. */
  async waitUntilConnected(): Promise<void> {
    await this.connectionStatus.filter({ hasText: 'Connected' }).waitFor();
  }

  get navigation(): Locator {
    return this.page.getByRole('navigation', { name: 'Views' });
  }

  navItem(view: ViewName): Locator {
    return this.navigation.getByRole('link', { name: VIEW_LABELS[view], exact: false });
  }

  /** The main region, which names the view it shows. */
  view(view: ViewName): Locator {
    return this.page.getByTestId(`view-${view}`);
  }

  get heading(): Locator {
    return this.page.getByRole('main').getByRole('heading', { level: 1 });
  }

  get plannedPanel(): Locator {
    return this.page.getByTestId('planned-view');
  }

  get backendStatus(): Locator {
    return this.page.getByTestId('status-backend');
  }

  get transportStatus(): Locator {
    return this.page.getByTestId('status-transport');
  }

  get connectionStatus(): Locator {
    return this.page.getByTestId('status-connection');
  }

  get jobsButton(): Locator {
    return this.page.getByTestId('status-jobs');
  }

  get refusal(): Locator {
    return this.page.getByTestId('connection-refused');
  }

  get doctorChecks(): Locator {
    return this.page.getByTestId('doctor-check');
  }

  get selftestSteps(): Locator {
    return this.page.getByRole('spinbutton', { name: 'Steps' });
  }

  get runSelftestButton(): Locator {
    return this.page.getByRole('button', { name: 'Run self-test' });
  }

  /** The "Latest self-test" card on Home. */
  get latestSelftest(): Locator {
    return this.page.getByTestId('selftest').getByTestId('job-card');
  }

  /** Starts a self-test from Home and returns the new job's id (read from its card). */
  async runSelftest(steps: number, timeoutMs = 10_000): Promise<string> {
    const card = this.latestSelftest;
    const previous = (await card.count()) > 0 ? await card.getAttribute('data-job-id') : null;
    await this.selftestSteps.fill(String(steps));
    await this.runSelftestButton.click();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const id = (await card.count()) > 0 ? await card.getAttribute('data-job-id') : null;
      if (id && id !== previous) return id;
      if (Date.now() > deadline) throw new Error('No new self-test appeared on Home');
      await this.page.waitForTimeout(50);
    }
  }
}
