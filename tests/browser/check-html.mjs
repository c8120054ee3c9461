// HTML: the Nu Html Checker (vnu, the W3C's validator) on every page of the
// primary builds, and on their SVG files. Any error fails; warnings are shown.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { loadSites, htmlPages, walk, Report } from './lib.mjs';

const require = createRequire(import.meta.url);
const jar = join(dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
const report = new Report('html (vnu)');
const sites = loadSites().filter((s) => s.primary);

const r = spawnSync(
  'java',
  ['-Xss4m', '-jar', jar, '--format', 'json', '--exit-zero-always', '--also-check-svg', '--skip-non-html', ...sites.map((s) => s.dir)],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
if (r.error) throw r.error;
if (r.status !== 0) {
  console.error(r.stderr);
  throw new Error(`vnu exited with ${r.status}`);
}
const { messages } = JSON.parse(r.stderr);
const name = (url) => {
  const path = decodeURIComponent(new URL(url).pathname);
  const site = sites.find((s) => path.startsWith(s.dir + '/'));
  return site ? `${site.name}: ${relative(site.dir, path)}` : path;
};
let warnings = 0;
const bad = new Set();
for (const m of messages) {
  const file = m.url ? name(m.url) : '(vnu)';
  const where = `${file}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}`;
  const extract = m.extract ? `\n      ${m.extract.replace(/\n/g, ' ').trim()}` : '';
  if (m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal') {
    bad.add(file);
    report.fail(`${where}: ${m.message}${extract}`);
  } else {
    warnings += 1;
    console.log(`warning ${where}: ${m.message}`);
  }
}
for (const s of sites) {
  const pages = htmlPages(s);
  for (const p of pages) if (!bad.has(`${s.name}: ${p.file}`)) report.ok();
  const n = pages.filter((p) => bad.has(`${s.name}: ${p.file}`)).length;
  const svgs = walk(s.dir).filter((f) => f.endsWith('.svg'));
  const m = svgs.filter((f) => bad.has(`${s.name}: ${f}`)).length;
  console.log(`${s.name}: ${pages.length} pages and ${svgs.length} SVG files checked, ${n + m} with errors`);
}
console.log(`${warnings} warning${warnings === 1 ? '' : 's'}`);
report.finish();
