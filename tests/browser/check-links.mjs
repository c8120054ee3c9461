// Links: every internal href/src (and srcset, and CSS url()) in every built
// page resolves to a file in the output, every #fragment to an id on the
// target page, and nothing escapes the site's base path. Runs on every
// build in sites.json, so also on builds under a base URL with a path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'parse5';
import { loadSites, walk, fileToUrlPath, urlPathToFile, Report } from './lib.mjs';

const report = new Report('links');

/** Attributes that hold one URL, per element. */
const URL_ATTRS = {
  a: ['href'],
  area: ['href'],
  link: ['href'],
  img: ['src'],
  script: ['src'],
  source: ['src'],
  iframe: ['src'],
  audio: ['src'],
  video: ['src', 'poster'],
  track: ['src'],
  embed: ['src'],
  object: ['data'],
  form: ['action'],
  blockquote: ['cite'],
  q: ['cite'],
  ins: ['cite'],
  del: ['cite'],
};

function* elements(node) {
  if (node.tagName) yield node;
  for (const c of node.childNodes || []) yield* elements(c);
  if (node.content) yield* elements(node.content); // <template>
}

const attr = (el, name) => el.attrs?.find((a) => a.name === name)?.value;

const parsed = new Map();
function page(file) {
  if (!parsed.has(file)) {
    const doc = parse(readFileSync(file, 'utf8'));
    const ids = new Set();
    const refs = [];
    let canonical = null;
    let refresh = false;
    for (const el of elements(doc)) {
      const id = attr(el, 'id');
      if (id !== undefined) ids.add(id);
      if (el.tagName === 'a' && attr(el, 'name') !== undefined) ids.add(attr(el, 'name'));
      for (const a of URL_ATTRS[el.tagName] || []) {
        const v = attr(el, a);
        if (v !== undefined) refs.push({ what: `<${el.tagName} ${a}>`, value: v });
      }
      for (const a of ['srcset', 'imagesrcset']) {
        const v = attr(el, a);
        if (v) for (const part of v.split(',')) {
          const u = part.trim().split(/\s+/)[0];
          if (u) refs.push({ what: `<${el.tagName} ${a}>`, value: u });
        }
      }
      if (el.tagName === 'link' && attr(el, 'rel') === 'canonical') canonical = attr(el, 'href');
      if (el.tagName === 'meta' && /^refresh$/i.test(attr(el, 'http-equiv') || '')) {
        refresh = true;
        const m = /url\s*=\s*(.+)$/i.exec(attr(el, 'content') || '');
        if (m) refs.push({ what: '<meta refresh>', value: m[1].trim().replace(/^['"]|['"]$/g, '') });
      }
    }
    parsed.set(file, { ids, refs, canonical, refresh });
  }
  return parsed.get(file);
}

function checkRef(site, fromFile, fromUrl, what, value) {
  const where = `${site.name}: ${fromFile}: ${what}="${value}"`;
  if (value.trim() === '') return report.fail(`${where}: empty URL`);
  let u;
  try {
    u = new URL(value, fromUrl);
  } catch {
    return report.fail(`${where}: not a valid URL`);
  }
  if (!['http:', 'https:'].includes(u.protocol)) return; // mailto:, tel:, data:
  // pressroom writes internal links without a scheme (/base/path/). A URL
  // written out in full is an author's link to another site, unless the base
  // URL has a path and the URL is under it (a link into this site's folder).
  if (/^[a-z][a-z0-9+.-]*:/i.test(value.trim())) {
    if (site.basePath === '/' || !u.href.startsWith(site.baseUrl)) return;
  }
  const base = new URL(site.baseUrl);
  if (u.origin !== base.origin) return report.fail(`${where}: internal link resolves to another origin`);
  if (!u.pathname.startsWith(site.basePath)) {
    return report.fail(`${where}: resolves to ${u.href}, outside the site's base URL ${site.baseUrl}`);
  }
  const target = urlPathToFile(site, u.pathname);
  if (!target) return report.fail(`${where}: ${u.pathname} is not in the output`);
  if (u.hash && u.hash !== '#') {
    let frag;
    try {
      frag = decodeURIComponent(u.hash.slice(1));
    } catch {
      return report.fail(`${where}: undecodable fragment`);
    }
    if (!target.endsWith('.html')) return report.fail(`${where}: fragment on a non-HTML file`);
    if (!page(target).ids.has(frag) && frag !== 'top') {
      return report.fail(`${where}: no element with id "${frag}" on ${u.pathname}`);
    }
  }
  report.ok();
}

for (const site of loadSites()) {
  let pages = 0;
  const before = report.failures.length;
  for (const f of walk(site.dir)) {
    const full = join(site.dir, f);
    const pageUrl = new URL(fileToUrlPath(site, f), site.baseUrl).href;
    if (f.endsWith('.html')) {
      pages += 1;
      const { refs, canonical, refresh } = page(full);
      for (const r of refs) checkRef(site, f, pageUrl, r.what, r.value);
      // A page's canonical URL is the page itself (a redirect's is its
      // target), or, for an article first published elsewhere, the original,
      // which the page then names and links ("Originally published in").
      if (canonical !== null && f !== '404.html' && !refresh) {
        const canon = new URL(canonical, pageUrl).href;
        const credited = !canon.startsWith(site.baseUrl) && refs.some((r) => r.what === '<a href>' && r.value === canonical) && /class="originally-published"/.test(readFileSync(full, 'utf8'));
        if (canon !== pageUrl && !credited) report.fail(`${site.name}: ${f}: canonical ${canon} is not the page's own URL ${pageUrl}`);
      }
    } else if (f.endsWith('.css')) {
      const css = readFileSync(full, 'utf8');
      for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
        if (!m[2].startsWith('data:')) checkRef(site, f, pageUrl, 'url()', m[2]);
      }
    }
  }
  const n = report.failures.length - before;
  console.log(`${site.name} (${site.baseUrl}): ${pages} pages, ${n} broken link${n === 1 ? '' : 's'}`);
}
report.finish();
