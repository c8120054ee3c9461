// Lighthouse on the home page and one article of the sample archive, served
// from 127.0.0.1 by a static server this script starts and stops. Each of
// performance, accessibility, best practices and SEO must score at least 95,
// for a phone (Lighthouse's default mobile settings) and for a desktop. A
// page that falls short is run again, up to three times, and judged by the
// median score.
//
// Throttling is Lighthouse's "simulate" method (the default): the page loads
// at full speed and the metrics are computed for a slow 4G phone with a 4x
// slower CPU (mobile) or a fast connection (desktop). That is realistic for
// the readers on slow phones and stable on a busy 2-core CI machine, where
// real (devtools) throttling would measure the machine more than the page.
import { readFileSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { loadSites, htmlPages, serve, CHROMIUM, CHROMIUM_FLAGS, Report } from './lib.mjs';

const THRESHOLD = Number(process.env.LIGHTHOUSE_MIN || 95);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const report = new Report('lighthouse');

const site = loadSites().find((s) => s.primary && s.basePath === '/') ?? loadSites().find((s) => s.primary);
const pages = htmlPages(site);
// The article with the most to load: a lead image, if any article has one.
const articles = pages.filter((p) => p.file.startsWith('articles/'));
const article = articles.find((p) => readFileSync(join(site.dir, p.file), 'utf8').includes('class="lead-image"')) ?? articles[0];
const targets = [
  { name: 'home', path: site.basePath },
  { name: `article ${article.path}`, path: article.path },
];
const presets = [
  { name: 'mobile', config: undefined },
  { name: 'desktop', config: desktopConfig },
];

const outDir = join(process.env.CHECKS_OUT || tmpdir(), 'lighthouse');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const server = await serve(site);
const userDataDir = mkdtempSync(join(tmpdir(), 'lighthouse-chromium-'));
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`],
  userDataDir: false,
  logLevel: 'silent',
});
try {
  // One throwaway load warms Chromium's caches (fonts, code), so the first
  // measured page is not charged for the browser's own start-up.
  await lighthouse(server.url(site.basePath), { port: chrome.port, logLevel: 'error', onlyAudits: ['first-contentful-paint'] });
  console.log(`${'page'.padEnd(48)} ${'preset'.padEnd(8)} ${CATEGORIES.map((c) => c.padStart(14)).join(' ')}`);
  for (const t of targets) {
    for (const preset of presets) {
      // A page that falls short is measured again, up to three runs in all,
      // and judged by the median of each score, as Lighthouse's own docs
      // advise for run-to-run variance; a real regression fails every run.
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const result = await lighthouse(server.url(t.path), { port: chrome.port, output: 'html', logLevel: 'error', onlyCategories: CATEGORIES }, preset.config);
        const lhr = result.lhr;
        if (lhr.runtimeError) {
          report.fail(`${t.name} [${preset.name}]: Lighthouse could not run: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
          break;
        }
        const slug = `${t.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}-${preset.name}${i ? `-run${i + 1}` : ''}`;
        writeFileSync(join(outDir, `${slug}.html`), result.report);
        const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c].score ?? 0) * 100));
        runs.push({ lhr, scores });
        console.log(`${t.name.padEnd(48)} ${preset.name.padEnd(8)} ${scores.map((sc) => String(sc).padStart(14)).join(' ')}${i ? `   (run ${i + 1})` : ''}`);
        if (scores.every((sc) => sc >= THRESHOLD)) break;
      }
      if (runs.length === 0) continue;
      CATEGORIES.forEach((c, k) => {
        const sorted = runs.map((r) => r.scores[k]).sort((a, b) => a - b);
        const median = sorted[Math.floor((sorted.length - 1) / 2)];
        if (median >= THRESHOLD) return report.ok();
        // Name the audits that cost points, so the failure says what to fix.
        const { lhr } = runs[runs.length - 1];
        const lost = lhr.categories[c].auditRefs
          .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score < 1)
          .map((r) => `${r.id} (${lhr.audits[r.id].displayValue || lhr.audits[r.id].score})`);
        report.fail(`${t.name} [${preset.name}]: ${c} scored ${median}${runs.length > 1 ? ` (median of ${runs.length} runs)` : ''} < ${THRESHOLD}; audits short of full marks: ${lost.join(', ') || 'none listed'}`);
      });
    }
  }
  console.log(`reports: ${outDir}`);
} finally {
  await chrome.kill();
  await server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
report.finish();
