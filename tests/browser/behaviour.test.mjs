// Browser behaviour, in headless Chromium, on each primary build: a reader's
// path through the site by clicks, a cross-reference to a #heading, no
// sideways scrolling on a phone, the skip link, the dark scheme and print.
// Run with `node --test`; the pages are found from the output, not named.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSites, htmlPages, serve, launchChromium } from './lib.mjs';

const sites = loadSites().filter((s) => s.primary);
let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** The text of the page's one <h1>, whitespace collapsed. */
async function h1(page) {
  const heading = page.locator('h1');
  assert.equal(await heading.count(), 1, `${page.url()} has one h1`);
  return (await heading.innerText()).replace(/\s+/g, ' ').trim();
}
const norm = (s) => s.replace(/\s+/g, ' ').trim();

/** Clicks a link and waits for the page it leads to. */
async function follow(page, link) {
  const target = new URL(await link.getAttribute('href'), page.url()).href;
  await Promise.all([page.waitForURL(target, { timeout: 10_000 }), link.click()]);
}

for (const site of sites) {
  describe(`${site.name} (${site.baseUrl})`, () => {
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

    it('home -> article -> author -> topic -> its page 2 -> article -> "Referenced by" -> article', async () => {
      await page.goto(server.url(site.basePath));
      const title = await page.title();
      assert.equal(await h1(page), title, 'the home page is headed by the site title');

      // Home -> the first article.
      const card = page.locator('main .card-title a').first();
      const articleTitle = norm(await card.innerText());
      await follow(page, card);
      assert.match(page.url(), /\/articles\/[^/]+\/$/);
      assert.equal(await h1(page), articleTitle);

      // Article -> its first author.
      const author = page.locator('.byline a').first();
      const authorName = norm(await author.innerText());
      await follow(page, author);
      assert.match(page.url(), /\/authors\/[^/]+\/$/);
      assert.equal(await h1(page), authorName);
      assert.ok(await page.getByRole('heading', { name: `Articles by ${authorName}` }).isVisible());

      // Author -> the topics index -> the topic with the most articles.
      await follow(page, page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Topics' }));
      assert.equal(await h1(page), 'Topics');
      const topics = await page.locator('.topic-list li').evaluateAll((lis) =>
        lis.map((li) => ({ name: li.querySelector('a').textContent.trim(), count: parseInt(li.querySelector('.meta').textContent, 10) })),
      );
      const biggest = topics.reduce((a, b) => (b.count > a.count ? b : a));
      await follow(page, page.locator('.topic-list a', { hasText: biggest.name }).first());
      assert.equal(await h1(page), biggest.name);

      // Topic -> its next page.
      const next = page.locator('nav.pagination a[rel="next"]');
      assert.equal(await next.count(), 1, `topic "${biggest.name}" has a next page`);
      await follow(page, next);
      assert.match(page.url(), /\/page\/2\/$/);
      assert.equal(await h1(page), `${biggest.name} page 2`);
      assert.ok(await page.locator('nav.pagination a[rel="prev"]').isVisible());

      // Page 2 -> an article that others cite -> back through "Referenced by".
      const cards = await page.locator('main .card-title a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), title: a.textContent.trim() })));
      let cited = null;
      for (const c of cards) {
        const html = await (await page.request.get(new URL(c.href, page.url()).href)).text();
        if (html.includes('id="referenced-by"')) {
          cited = c;
          break;
        }
      }
      assert.ok(cited, `an article on page 2 of "${biggest.name}" is cited by another`);
      await follow(page, page.locator('main .card-title a', { hasText: cited.title }).first());
      assert.equal(await h1(page), cited.title);
      const refs = page.getByRole('region', { name: 'Referenced by' });
      assert.ok(await refs.isVisible(), '"Referenced by" is a named region');
      const citing = refs.getByRole('link').first();
      const citingTitle = norm(await citing.innerText());
      await follow(page, citing);
      assert.equal(await h1(page), citingTitle);
      // ...and the citing article does link to the cited one.
      assert.ok((await page.locator(`.article-body a[href^="${new URL(cited.href, page.url()).pathname}"]`).count()) > 0);
    });

    it('a cross-reference to #heading lands with that heading in view', async () => {
      // An article whose body links to a heading of another article.
      let from = null;
      for (const { file, path } of htmlPages(site)) {
        if (!file.startsWith('articles/')) continue;
        const html = readFileSync(join(site.dir, file), 'utf8');
        const body = html.slice(html.indexOf('class="article-body"'));
        const m = new RegExp(`href="(${site.basePath}articles/[^"#]+/#[^"]+)"`).exec(body);
        if (m) {
          from = { path, href: m[1] };
          break;
        }
      }
      assert.ok(from, 'some article cross-references a heading of another');
      await page.goto(server.url(from.path));
      const link = page.locator(`.article-body a[href="${from.href}"]`).first();
      await follow(page, link);
      const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
      assert.equal(new URL(page.url()).pathname + '#' + id, from.href);
      const target = page.locator(`[id="${id}"]`);
      assert.match(await target.evaluate((el) => el.tagName), /^H[2-6]$/, 'the fragment names a heading');
      await page.waitForFunction((i) => {
        const r = document.getElementById(i).getBoundingClientRect();
        return r.top >= -1 && r.bottom <= window.innerHeight + 1;
      }, id);
      assert.ok(await target.isVisible());
      assert.ok(await target.evaluate((el) => el.matches(':target')));
      assert.ok(await target.evaluate((el) => el.getBoundingClientRect().top < 200), 'the heading is near the top of the window');
    });

    it('no page scrolls sideways in a 375-px-wide viewport', async () => {
      const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      try {
        const p = await phone.newPage();
        const wide = [];
        let articles = 0;
        for (const { file, path } of htmlPages(site)) {
          if (/http-equiv="refresh"/.test(readFileSync(join(site.dir, file), 'utf8'))) continue;
          await p.goto(server.url(path));
          const { scroll, client, sticking } = await p.evaluate(() => {
            // Anything in <main> that reaches past main's content box (into
            // its side padding or beyond) is too wide for the phone too.
            const main = document.querySelector('main');
            const right = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
            const out = [...main.querySelectorAll('*')]
              .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > right + 1)
              .map((el) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> reaches ${Math.round(el.getBoundingClientRect().right)}px, main's content ends at ${Math.round(right)}px`);
            return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, sticking: out.slice(0, 3) };
          });
          if (scroll > client) wide.push(`${file}: ${scroll}px wide in a ${client}px viewport`);
          for (const s of sticking) wide.push(`${file}: ${s}`);
          if (file.startsWith('articles/')) articles += 1;
        }
        assert.ok(articles > 0, 'article pages were checked');
        assert.deepEqual(wide, []);
      } finally {
        await phone.close();
      }
    });

    it('the skip link is the first stop and moves focus to the main content', async () => {
      const { path } = htmlPages(site).find((p) => p.file.startsWith('articles/'));
      await page.goto(server.url(path));
      await page.keyboard.press('Tab');
      const skip = page.locator(':focus');
      assert.equal(norm(await skip.innerText()), 'Skip to main content');
      assert.ok(await skip.isVisible(), 'the skip link shows when focused');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'main-content');
    });

    it('the dark colour scheme applies', async () => {
      const dark = await browser.newContext({ colorScheme: 'dark' });
      try {
        const p = await dark.newPage();
        await p.goto(server.url(site.basePath));
        const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
        await page.goto(server.url(site.basePath));
        const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.notEqual(bg, lightBg);
      } finally {
        await dark.close();
      }
    });

    it('print hides the navigation and keeps the article', async () => {
      const articlePage = htmlPages(site).find((p) => p.file.startsWith('articles/'));
      await page.goto(server.url(articlePage.path));
      const shown = (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0);
      assert.ok(await shown('#site-nav'), 'the navigation shows on screen');
      await page.emulateMedia({ media: 'print' });
      try {
        for (const sel of ['#site-nav', '.skip-link', '#site-footer']) assert.equal(await shown(sel), false, `${sel} is hidden in print`);
        assert.ok(await shown('#article-title'), 'the headline prints');
        assert.ok(await shown('.article-body'), 'the body prints');
        const listing = htmlPages(site).find((p) => p.file === 'page/2/index.html') || htmlPages(site).find((p) => p.file === 'index.html');
        await page.goto(server.url(listing.path));
        if ((await page.locator('nav.pagination').count()) > 0) assert.equal(await shown('nav.pagination'), false, 'pagination is hidden in print');
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }
    });
  });
}
