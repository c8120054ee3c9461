// Shared helpers for the browser checks: the list of built sites, a small
// static server that serves a site under its base path, page discovery and
// a headless Chromium launcher.
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync, existsSync, createReadStream } from 'node:fs';
import { join, extname, relative, sep, resolve } from 'node:path';
import { createGzip } from 'node:zlib';

/** Chromium from Debian; no browser download of any tool is used. */
export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Flags that keep headless Chromium off the (closed) network. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * The built sites, as written by run.sh into $CHECKS_OUT/sites.json:
 * [{ name, dir, baseUrl, primary }]. `primary` sites get the slow checks.
 */
export function loadSites() {
  const file = process.env.SITES_JSON || join(process.env.CHECKS_OUT || 'out', 'sites.json');
  const sites = JSON.parse(readFileSync(file, 'utf8'));
  for (const s of sites) {
    s.dir = resolve(s.dir);
    s.basePath = new URL(s.baseUrl).pathname;
  }
  const only = process.env.ONLY_SITE;
  return only ? sites.filter((s) => s.name === only) : sites;
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
export function walk(dir) {
  const out = [];
  const rec = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) rec(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  rec(dir);
  return out;
}

/** The URL path (under the site's base path) at which an output file is served. */
export function fileToUrlPath(site, file) {
  if (file === 'index.html') return site.basePath;
  if (file.endsWith('/index.html')) return site.basePath + file.slice(0, -'index.html'.length);
  return site.basePath + file;
}

/** The HTML pages of a site, as URL paths; 404.html included. */
export function htmlPages(site) {
  return walk(site.dir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => ({ file: f, path: fileToUrlPath(site, f) }));
}

/**
 * The output file a URL path names, or null: `/base/x/` -> x/index.html,
 * `/base/x.css` -> x.css. Paths outside the base path are not the site's.
 */
export function urlPathToFile(site, urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!p.startsWith(site.basePath)) return null;
  let rel = p.slice(site.basePath.length);
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const full = join(site.dir, rel);
  if (!full.startsWith(site.dir + sep)) return null;
  if (!existsSync(full)) return null;
  if (statSync(full).isDirectory()) return null;
  return full;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Serves `site.dir` at `site.basePath` on 127.0.0.1 (a free port), as a static
 * host would: `/x/` -> `x/index.html`, `/x` -> redirect to `/x/` when that is a
 * folder, anything else -> 404.html with status 404. Text is gzipped when the
 * client asks, and assets get a long cache lifetime, as a CDN would serve them.
 */
export async function serve(site, extra = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (extra[url.pathname]) {
      const [type, body] = extra[url.pathname];
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=31536000' });
      res.end(body);
      return;
    }
    let file = urlPathToFile(site, url.pathname);
    if (!file && !url.pathname.endsWith('/') && urlPathToFile(site, url.pathname + '/')) {
      res.writeHead(301, { Location: url.pathname + '/' + url.search });
      res.end();
      return;
    }
    let status = 200;
    if (!file) {
      status = 404;
      file = join(site.dir, '404.html');
      if (!existsSync(file)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
    }
    const type = TYPES[extname(file).toLowerCase()] || 'application/octet-stream';
    const gzip = /^(text\/|application\/(xml|json)|image\/svg)/.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': type.startsWith('text/html') ? 'no-cache' : 'public, max-age=31536000',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const body = createReadStream(file);
    if (gzip) body.pipe(createGzip()).pipe(res);
    else body.pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    /** The local URL of a site URL path. */
    url: (path) => origin + path,
    /** The local URL of one of the site's absolute URLs (from its base URL). */
    localize: (abs) => {
      const u = new URL(abs);
      return origin + u.pathname + u.search + u.hash;
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(ok);
      }),
  };
}

/** Launches Debian's headless Chromium through playwright-core. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** Collects failures and prints a closing line; sets the exit code. */
export class Report {
  constructor(name) {
    this.name = name;
    this.failures = [];
    this.passes = 0;
  }
  ok() {
    this.passes += 1;
  }
  fail(msg) {
    this.failures.push(msg);
    console.log(`FAIL ${msg}`);
  }
  finish() {
    const n = this.failures.length;
    console.log(`${this.name}: ${n === 0 ? 'ok' : `${n} problem${n === 1 ? '' : 's'}`} (${this.passes} checks passed)`);
    process.exitCode = n === 0 ? 0 : 1;
  }
}
