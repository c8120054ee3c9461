// Feeds and sitemap: every Atom feed parses and validates against the RELAX NG
// schema of RFC 4287 (with xmllint), passes the schema's two Schematron rules,
// and has absolute links that work; sitemap.xml validates against the
// sitemaps.org 0.9 XML Schema and lists every page exactly once.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { parse as parseHtml } from 'parse5';
import { loadSites, walk, fileToUrlPath, urlPathToFile, serve, Report } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ATOM_RNG = join(here, 'schemas', 'atom.rng');
const SITEMAP_XSD = join(here, 'schemas', 'sitemap.xsd');
const ATOM = 'http://www.w3.org/2005/Atom';
const SM = 'http://www.sitemaps.org/schemas/sitemap/0.9';

const report = new Report('feeds and sitemap');

/** Runs xmllint on files; returns the files that failed, with its messages. */
function xmllint(args, files) {
  const r = spawnSync('xmllint', ['--noout', ...args, ...files], { encoding: 'utf8' });
  if (r.error) throw r.error;
  const bad = [];
  for (const f of files) {
    if (!r.stderr.includes(`${f} validates`)) {
      const lines = r.stderr.split('\n').filter((l) => l.startsWith(f) || l.includes(f + ':'));
      bad.push({ file: f, messages: lines.join('\n') || r.stderr.trim() });
    }
  }
  return bad;
}

const xml = (file) => {
  const errors = [];
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(readFileSync(file, 'utf8'), 'application/xml');
  return { doc, errors };
};

const kids = (el, name) => Array.from(el.childNodes).filter((n) => n.nodeType === 1 && n.namespaceURI === ATOM && n.localName === name);

/** xml:base in scope for an element, resolved against the document URL. */
function baseOf(el, docUrl) {
  const chain = [];
  for (let n = el; n && n.nodeType === 1; n = n.parentNode) {
    const b = n.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'base');
    if (b) chain.unshift(b);
  }
  return chain.reduce((acc, b) => new URL(b, acc).href, docUrl);
}

function* htmlRefs(node) {
  if (node.tagName) {
    for (const a of node.attrs) if (['href', 'src'].includes(a.name)) yield `${node.tagName} ${a.name}="${a.value}"`;
  }
  for (const c of node.childNodes || []) yield* htmlRefs(c);
}

const idsCache = new Map();
function idsOf(file) {
  if (!idsCache.has(file)) {
    const ids = new Set();
    const walkDom = (n) => {
      for (const a of n.attrs || []) if (a.name === 'id') ids.add(a.value);
      for (const c of n.childNodes || []) walkDom(c);
    };
    walkDom(parseHtml(readFileSync(file, 'utf8')));
    idsCache.set(file, ids);
  }
  return idsCache.get(file);
}

/**
 * An absolute URL in a feed or the sitemap must be http(s); when it is the
 * site's, it must name a page in the output (and its #fragment an element).
 * Returns the URL path when it is the site's, for an HTTP check.
 */
function checkAbsolute(site, where, value, { mustBeSite = true, html = true } = {}) {
  let u;
  try {
    u = new URL(value);
  } catch {
    report.fail(`${site.name}: ${where}: "${value}" is not an absolute URL`);
    return null;
  }
  if (!/^https?:$/.test(u.protocol)) {
    if (u.protocol !== 'mailto:') report.fail(`${site.name}: ${where}: "${value}" is not an http(s) URL`);
    return null;
  }
  if (!u.href.startsWith(site.baseUrl)) {
    if (mustBeSite) report.fail(`${site.name}: ${where}: ${value} is not under the base URL ${site.baseUrl}`);
    return null;
  }
  const file = urlPathToFile(site, u.pathname);
  if (!file) {
    report.fail(`${site.name}: ${where}: ${value} is not in the output`);
    return null;
  }
  if (html && !file.endsWith('.html') && !file.endsWith('.xml') && !/\.(svg|png|jpe?g|webp|avif|gif)$/.test(file)) {
    report.fail(`${site.name}: ${where}: ${value} is not a page`);
  }
  if (u.hash.length > 1 && !file.endsWith('.html')) {
    report.fail(`${site.name}: ${where}: ${value}: a #fragment of a file that is not a page`);
    return null;
  }
  if (u.hash.length > 1 && !idsOf(file).has(decodeURIComponent(u.hash.slice(1)))) {
    report.fail(`${site.name}: ${where}: ${value}: no element with that id`);
    return null;
  }
  report.ok();
  return u.pathname;
}

async function checkSite(site) {
  const files = walk(site.dir);
  const feeds = files.filter((f) => f.endsWith('.xml') && f !== 'sitemap.xml').map((f) => join(site.dir, f));
  const fetchPaths = new Set();

  // 1. RELAX NG validation of every feed, in one xmllint run.
  for (const b of xmllint(['--relaxng', ATOM_RNG], feeds)) {
    report.fail(`${site.name}: ${b.file.slice(site.dir.length + 1)}: not valid Atom (RFC 4287 RELAX NG):\n${b.messages}`);
  }

  for (const full of feeds) {
    const rel = full.slice(site.dir.length + 1);
    const selfUrl = new URL(fileToUrlPath(site, rel), site.baseUrl).href;
    const { doc, errors } = xml(full);
    if (errors.length) {
      report.fail(`${site.name}: ${rel}: does not parse: ${errors.join('; ')}`);
      continue;
    }
    const feed = doc.documentElement;
    if (feed.namespaceURI !== ATOM || feed.localName !== 'feed') {
      report.fail(`${site.name}: ${rel}: root is not atom:feed`);
      continue;
    }
    // The feed's own links.
    const links = kids(feed, 'link');
    const self = links.filter((l) => l.getAttribute('rel') === 'self');
    if (self.length !== 1) report.fail(`${site.name}: ${rel}: has ${self.length} rel="self" links, wants 1`);
    else if (self[0].getAttribute('href') !== selfUrl) {
      report.fail(`${site.name}: ${rel}: rel="self" is ${self[0].getAttribute('href')}, wants ${selfUrl}`);
    }
    for (const l of links) {
      const p = checkAbsolute(site, `${rel}: feed link rel=${l.getAttribute('rel')}`, l.getAttribute('href'));
      if (p) fetchPaths.add(p);
    }
    for (const id of kids(feed, 'id')) checkAbsolute(site, `${rel}: feed id`, id.textContent.trim());
    // Schematron rule 1 of RFC 4287's schema.
    const entries = kids(feed, 'entry');
    const feedHasAuthor = kids(feed, 'author').length > 0;
    entries.forEach((e, i) => {
      const where = `${rel}: entry ${i + 1}`;
      if (!feedHasAuthor && kids(e, 'author').length === 0) {
        report.fail(`${site.name}: ${where}: an atom:entry must have an atom:author if its feed does not`);
      }
      // Schematron rule 2.
      const alts = kids(e, 'link').filter((l) => (l.getAttribute('rel') || 'alternate') === 'alternate');
      if (alts.length === 0 && kids(e, 'content').length === 0) {
        report.fail(`${site.name}: ${where}: an atom:entry must have a rel="alternate" link or an atom:content`);
      }
      for (const id of kids(e, 'id')) checkAbsolute(site, `${where} id`, id.textContent.trim());
      for (const l of kids(e, 'link')) {
        const p = checkAbsolute(site, `${where} link`, l.getAttribute('href'));
        if (p) fetchPaths.add(p);
      }
      for (const a of kids(e, 'author')) {
        for (const u of kids(a, 'uri')) {
          const p = checkAbsolute(site, `${where} author uri`, u.textContent.trim());
          if (p) fetchPaths.add(p);
        }
      }
      // Links inside the content, as a feed reader resolves them (RFC 4287
      // section 2: relative references against xml:base, else the feed URL).
      for (const c of kids(e, 'content')) {
        if ((c.getAttribute('type') || 'text') !== 'html') continue;
        const base = baseOf(c, selfUrl);
        const frag = parseHtml(`<body>${c.textContent}</body>`);
        for (const ref of htmlRefs(frag)) {
          const value = /="(.*)"$/.exec(ref)[1];
          let abs;
          try {
            abs = new URL(value, base).href;
          } catch {
            report.fail(`${site.name}: ${where} content: ${ref}: not a URL`);
            continue;
          }
          if (!abs.startsWith(site.baseUrl) && !value.startsWith('http')) {
            report.fail(`${site.name}: ${where} content: ${ref} resolves to ${abs}, outside the site`);
            continue;
          }
          const p = checkAbsolute(site, `${where} content: ${ref} (resolved: ${abs})`, abs, { mustBeSite: false });
          if (p) fetchPaths.add(p);
        }
      }
    });
  }

  // 2. The sitemap: XML Schema, then every page exactly once.
  const sitemap = join(site.dir, 'sitemap.xml');
  for (const b of xmllint(['--schema', SITEMAP_XSD], [sitemap])) {
    report.fail(`${site.name}: sitemap.xml: not valid against the sitemaps.org 0.9 schema:\n${b.messages}`);
  }
  const { doc, errors } = xml(sitemap);
  if (errors.length) {
    report.fail(`${site.name}: sitemap.xml: does not parse: ${errors.join('; ')}`);
  } else {
    const locs = Array.from(doc.getElementsByTagNameNS(SM, 'loc')).map((l) => l.textContent.trim());
    const seen = new Map();
    for (const loc of locs) {
      seen.set(loc, (seen.get(loc) || 0) + 1);
      const p = checkAbsolute(site, 'sitemap.xml loc', loc);
      if (p) fetchPaths.add(p);
    }
    for (const [loc, n] of seen) if (n > 1) report.fail(`${site.name}: sitemap.xml lists ${loc} ${n} times`);
    // Every page a search engine should index: each HTML file, less 404.html
    // and the redirect stubs (noindex) left at old addresses.
    const pages = files
      .filter((f) => f.endsWith('.html') && f !== '404.html')
      .filter((f) => !/<meta name="robots" content="noindex">/.test(readFileSync(join(site.dir, f), 'utf8')))
      .map((f) => new URL(fileToUrlPath(site, f), site.baseUrl).href);
    for (const p of pages) if (!seen.has(p)) report.fail(`${site.name}: sitemap.xml does not list ${p}`);
    for (const loc of seen.keys()) {
      if (!pages.includes(loc) && loc.startsWith(site.baseUrl)) report.fail(`${site.name}: sitemap.xml lists ${loc}, which is not an indexable page`);
    }
    console.log(`${site.name}: ${feeds.length} feeds; sitemap lists ${seen.size} of ${pages.length} pages`);
  }
  // robots.txt names the sitemap.
  const robots = readFileSync(join(site.dir, 'robots.txt'), 'utf8');
  const sm = /^Sitemap:\s*(\S+)/im.exec(robots);
  if (!sm || sm[1] !== new URL('sitemap.xml', site.baseUrl).href) report.fail(`${site.name}: robots.txt does not name ${site.baseUrl}sitemap.xml`);

  // 3. The links work over HTTP too, from a static server at the base path.
  const server = await serve(site);
  try {
    for (const p of [...fetchPaths].sort()) {
      const res = await fetch(server.url(p), { method: 'HEAD', redirect: 'manual' });
      if (res.status !== 200) report.fail(`${site.name}: ${site.baseUrl.replace(/\/$/, '')}${p.slice(site.basePath.length - 1)} answers ${res.status}`);
      else report.ok();
    }
  } finally {
    await server.close();
  }
}

execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
for (const site of loadSites()) await checkSite(site);
report.finish();
