// Accessibility: axe-core in headless Chromium on every page of the primary
// builds, for WCAG 2.0/2.1 A and AA and axe's best practices, three ways: a
// desktop window, a 375-px phone viewport and the dark colour scheme. A page
// that fails to load one of its own resources fails too.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadSites, htmlPages, serve, launchChromium, Report } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export const MODES = [
  { name: 'desktop', viewport: { width: 1280, height: 900 }, colorScheme: 'light' },
  { name: 'phone-375', viewport: { width: 375, height: 812 }, colorScheme: 'light', isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  { name: 'dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
];

const report = new Report('accessibility (axe-core)');
const CONCURRENCY = Number(process.env.A11Y_CONCURRENCY || 2);

/** Loads one page, runs axe on it and reports what it finds. */
async function checkPage(page, server, site, mode, { file, path }) {
  const url = server.url(path);
  const broken = [];
  const onResponse = (res) => {
    const isDoc = res.request().isNavigationRequest();
    if (res.url().startsWith(server.origin) && res.status() >= 400 && !(isDoc && file === '404.html')) broken.push(`${res.status()} ${res.url()}`);
  };
  const onFailed = (req) => {
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') broken.push(`${req.failure()?.errorText} ${req.url()}`);
  };
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  // A redirect stub (<meta http-equiv="refresh">) is checked itself, not the
  // page it forwards to.
  const stub = /http-equiv="refresh"/i.test(readFileSync(join(site.dir, file), 'utf8'));
  const hold = (route) => (route.request().isNavigationRequest() && route.request().url() !== url ? route.abort('aborted') : route.continue());
  if (stub) await page.route('**/*', hold);
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.addScriptTag({ url: '/__axe.js' });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      TAGS,
    );
    for (const v of result.violations) {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      ${n.target.join(' ')}: ${n.failureSummary.replace(/\s*\n\s*/g, ' ')}`)
        .join('\n');
      report.fail(`${site.name} [${mode.name}] ${file}: ${v.id} (${v.impact}): ${v.help}\n${nodes}`);
    }
    for (const b of broken) report.fail(`${site.name} [${mode.name}] ${file}: failed to load ${b}`);
    if (result.violations.length === 0 && broken.length === 0) report.ok();
    return result.violations.length;
  } finally {
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
    if (stub) await page.unroute('**/*', hold);
  }
}

const browser = await launchChromium();
const version = browser.version();
try {
  for (const site of loadSites().filter((s) => s.primary)) {
    const server = await serve(site, { '/__axe.js': ['text/javascript; charset=utf-8', AXE] });
    const pages = htmlPages(site);
    try {
      for (const mode of MODES) {
        const context = await browser.newContext({
          viewport: mode.viewport,
          colorScheme: mode.colorScheme,
          isMobile: mode.isMobile ?? false,
          hasTouch: mode.hasTouch ?? false,
          deviceScaleFactor: mode.deviceScaleFactor ?? 1,
          reducedMotion: 'reduce',
        });
        const queue = [...pages];
        let violations = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            const page = await context.newPage();
            for (let p = queue.shift(); p; p = queue.shift()) {
              const n = await checkPage(page, server, site, mode, p);
              violations += n;
            }
          }),
        );
        console.log(`${site.name} [${mode.name}]: ${pages.length} pages, ${violations} violation${violations === 1 ? '' : 's'}`);
        await context.close();
      }
    } finally {
      await server.close();
    }
  }
} finally {
  await browser.close();
}
const axeVersion = JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version;
console.log(`axe-core ${axeVersion} in Chromium ${version}; rules tagged ${TAGS.join(', ')}`);
report.finish();
