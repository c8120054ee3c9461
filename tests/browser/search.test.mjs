// Search in headless Chromium on the sample archive: typing a query into
// the search page, a topic filter, following a result, and the header's
// search form under a base path. Run with `node --test` (run.sh's
// behaviour check does).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSites, serve, launchChromium } from './lib.mjs';

const all = loadSites();
const sites = all.filter((s) => s.name === 'sample' || s.name === 'sample-under-path');
const french = all.find((s) => s.name === 'sample-fr');
let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const norm = (s) => s.replace(/\s+/g, ' ').trim();

/** The results shown for `query`, as {title, href}, once the status line says how many. */
async function results(page, query, said = (q) => [' found for “' + q + '”.']) {
  await page.waitForFunction(
    (parts) => parts.every((part) => document.getElementById('search-status').textContent.includes(part)),
    said(query),
  );
  return page.locator('#search-results li h2 a').evaluateAll((as) => as.map((a) => ({ title: a.textContent.trim(), href: a.getAttribute('href') })));
}

for (const site of sites) {
  describe(`search on ${site.name} (${site.baseUrl})`, () => {
    let server;
    let context;
    let page;
    before(async () => {
      server = await serve(site);
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
    });
    after(async () => {
      await context?.close();
      await server?.close();
    });

    it('a typed query finds the right article first; a topic filter narrows it; a result opens', async () => {
      await page.goto(server.url(`${site.basePath}search/`));
      await page.waitForSelector('#search[data-ready="true"]');
      const box = page.locator('input[type="search"]#search-input');
      await box.pressSequentially('interconnection queue', { delay: 20 });
      let shown = await results(page, 'interconnection queue');
      assert.equal(shown[0]?.title, 'Part 1: The Interconnection Queue Is the Bottleneck', JSON.stringify(shown));
      assert.ok(shown.length > 1, 'other articles mention both words');
      for (const r of shown) assert.ok(r.href.startsWith(`${site.basePath}articles/`), r.href);
      const excerpt = page.locator('#search-results li').first().locator('mark');
      assert.ok((await excerpt.count()) > 0, 'the excerpt marks the match');
      assert.match(norm(await page.locator('#search-results li .card-meta').first().innerText()), /^By .+ · \w+ \d+, \d{4}$/);

      // Only the articles on the topic remain, each listed on the topic's page.
      await page.selectOption('#filter-topic', 'state-local-government');
      await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length !== n, shown.length);
      shown = await results(page, 'interconnection queue');
      assert.ok(shown.length > 0, 'some results remain');
      const topicPage = readFileSync(join(site.dir, 'topics/state-local-government/index.html'), 'utf8');
      for (const r of shown) assert.ok(topicPage.includes(`href="${r.href}"`), `${r.title} is on the topic`);
      assert.ok(!shown.some((r) => r.title.startsWith('Part 1:')), 'the article off the topic is gone');
      assert.match(page.url(), /[?&]topic=state-local-government/);
      assert.match(page.url(), /[?&]q=interconnection(\+|%20)queue/);

      // Following the first result opens that article.
      const first = page.locator('#search-results li h2 a').first();
      await Promise.all([page.waitForURL(server.url(shown[0].href)), first.click()]);
      assert.equal(norm(await page.locator('h1').innerText()), shown[0].title);
    });

    it('the header search form opens /search/?q=... with the results', async () => {
      await page.goto(server.url(site.basePath));
      const header = page.getByRole('search').first();
      await header.locator('input[type="search"]').fill('transformer shortage');
      await Promise.all([page.waitForURL(/\/search\/\?q=transformer/), header.locator('input[type="search"]').press('Enter')]);
      assert.equal(new URL(page.url()).pathname, `${site.basePath}search/`);
      assert.equal(await page.locator('#search-input').inputValue(), 'transformer shortage');
      const shown = await results(page, 'transformer shortage');
      assert.equal(shown[0]?.title, 'The Transformer Shortage and the Tariff Ratchet');
      assert.equal(shown[0].href, `${site.basePath}articles/transformer-shortage-and-the-tariff-ratchet/`);
    });

    it('without JavaScript the page points to the archive', async () => {
      const noJs = await browser.newContext({ javaScriptEnabled: false });
      try {
        const p = await noJs.newPage();
        await p.goto(server.url(`${site.basePath}search/?q=grid`));
        const note = p.locator('.search-noscript');
        assert.ok(await note.isVisible());
        assert.equal(await note.getByRole('link', { name: 'archive by year' }).getAttribute('href'), `${site.basePath}archive/`);
      } finally {
        await noJs.close();
      }
    });
  });
}

// The script's own words come from the theme's strings, in the site's language.
describe('search on the sample archive in French', { skip: !french && 'run.sh builds sample-fr' }, () => {
  let server;
  let context;
  before(async () => {
    server = await serve(french);
    context = await browser.newContext();
  });
  after(async () => {
    await context?.close();
    await server?.close();
  });

  it('says what it found, and who wrote each result, in French', async () => {
    const page = await context.newPage();
    await page.goto(server.url(`${french.basePath}search/?q=transmission`));
    const shown = await results(page, 'transmission', (q) => ['articles trouvés pour « ' + q + ' »', '.']);
    assert.ok(shown.length > 1, JSON.stringify(shown));
    const status = norm(await page.locator('#search-status').innerText());
    assert.match(status, /^\d+ articles trouvés pour « transmission »\.$/);
    assert.match(norm(await page.locator('#search-results li .card-meta').first().innerText()), /^Par .+ · \d+(er)? \p{L}+ \d{4}$/u);

    await page.fill('#search-input', 'zzqxj');
    await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('Aucun article'));
    assert.equal(norm(await page.locator('#search-status').innerText()), 'Aucun article trouvé pour « zzqxj ».');
  });
});
