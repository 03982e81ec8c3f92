import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

const CHROMIUM_ARGS = [
  // Chromium's sandbox refuses to start as root (CI containers); the pages are our own local app.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps calling Google services, which a closed CI network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's headless Chromium (README, Tests: `npm run test:browser`). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

interface PageProblems {
  cspViolations: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

/**
 * Everything that would show the page is broken. A CSP violation fires the page's
 * `securitypolicyviolation` event; the init script forwards each one to the test through a binding
 * (both run outside the page's CSP, so watching cannot itself be blocked).
 */
async function watchForProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { cspViolations: [], consoleErrors: [], pageErrors: [] };
  await page.exposeFunction('reportCspViolation', (violation: string) => problems.cspViolations.push(violation));
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      window.reportCspViolation(event.effectiveDirective + ' blocked ' + event.blockedURI));`,
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  return problems;
}

/**
 * Runs browser steps on one page of a fresh profile (a new context: no cookie or storage of another test), watched
 * for problems from its first navigation on; answers what it saw. A failure's message gets what the page reported
 * and a screenshot saved outside the repository.
 */
export async function inFreshPage(browser: Browser, name: string, steps: (page: Page, context: BrowserContext) => Promise<void>): Promise<PageProblems> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = await watchForProblems(page);
  try {
    await steps(page, context);
  } catch (error) {
    const file = join(mkdtempSync(join(tmpdir(), `${name.replaceAll(' ', '-')}-`)), 'failure.png');
    await page.screenshot({ path: file, fullPage: true });
    throw new Error(`${name} failed at ${page.url()}; screenshot: ${file}\nWhat the page reported: ${JSON.stringify(problems, null, 2)}`, { cause: error });
  } finally {
    await context.close();
  }
  return problems;
}
