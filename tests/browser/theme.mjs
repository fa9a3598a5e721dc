// Checks the built-in theme in a real browser (Debian's Chromium, driven by playwright-core).
//
//   node tests/browser/theme.mjs --site DIR [--file-site DIR] [--out DIR]
//
// --site       a build of the example site with base path `/`, served here over http
// --file-site  a build whose base path is that folder's own absolute path, opened from file://
// --out        artefacts: a screenshot of every page type at 1280 and 375 px, a PDF of a
//              briefing printed on A4 (default target/screenshots)
//
// One page of every type is loaded over http and must show no console error, no uncaught
// exception and no failed request; axe-core must find no violation of serious or critical
// impact, in light and in dark mode; the page needs its landmarks, a working skip link,
// headings in order, a visible focus ring and no horizontal scrolling at 360 px. From file://
// each page must load with its stylesheet and no console error. Prints one line per check and
// ends with `N passed, N failed`; exits 1 on any failure. Uses only the browser on this machine
// (CHROMIUM, default /usr/bin/chromium): it never downloads one.

import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM, LAUNCH_ARGS, serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');

function parseArgs(argv) {
  const args = { out: join(repo, 'target', 'screenshots') };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase());
    if (!['site', 'fileSite', 'out'].includes(key) || argv[i + 1] === undefined) {
      console.error(`usage: node tests/browser/theme.mjs --site DIR [--file-site DIR] [--out DIR] (bad: ${argv[i]})`);
      process.exit(2);
    }
    args[key] = resolve(argv[i + 1]);
  }
  if (!args.site) {
    console.error('usage: node tests/browser/theme.mjs --site DIR [--file-site DIR] [--out DIR]');
    process.exit(2);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const AXE = readFileSync(join(repo, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let passed = 0;
let failed = 0;
const findings = [];
function check(name, problems) {
  if (problems.length === 0) {
    passed += 1;
    console.log(`ok    ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL  ${name}`);
    for (const p of problems) console.log(`        ${p}`);
  }
}

// ---------------------------------------------------------------- the pages to visit

// One page of every type, as `{type, path}` with `path` relative to the base path.
function pageTypes(site) {
  const data = JSON.parse(readFileSync(join(site, 'data.json'), 'utf8'));
  const root = new URL(data.site.base_url).pathname;
  const rel = (url) => url.slice(root.length);
  // The richest briefing and dossier show the most of the theme.
  const briefing = [...data.briefings].sort((a, b) => b.claims.length - a.claims.length)[0];
  const claimsOf = (a) => a.claims_by.length + a.claims_about.length;
  const actor = [...data.actors].sort((a, b) => claimsOf(b) - claimsOf(a))[0];
  const claimType = readdirSync(join(site, 'claims')).sort()[0];
  const builtIn = new Set(['briefings', 'actors', 'claims', 'forecasts', 'judgments', 'disputes', 'timeline', 'search', 'graph', 'tags']);
  // The tag with the most briefings shows the most of its page.
  const tag = [...data.tags].sort((a, b) => b.briefings.length - a.briefings.length)[0];
  // The question with the most forecasts shows the most of its page (the step chart, the history).
  const question = [...data.questions].sort((a, b) => b.forecasts.length - a.forecasts.length)[0];
  const page = readdirSync(site)
    .filter((d) => !builtIn.has(d) && existsSync(join(site, d, 'index.html')))
    .sort()[0];
  const types = [
    { type: 'home', path: '' },
    { type: 'briefings', path: 'briefings/' },
    { type: 'briefing', path: rel(briefing.url) },
    { type: 'actors', path: 'actors/' },
    { type: 'dossier', path: rel(actor.url) },
    { type: 'claim-type', path: `claims/${claimType}/` },
    { type: 'forecasts', path: 'forecasts/' },
    { type: 'judgments', path: 'judgments/' },
    { type: 'disputes', path: 'disputes/' },
    { type: 'timeline', path: 'timeline/' },
    // With a query, so the checks see facets and results (drawn by search.js at load).
    { type: 'search', path: 'search/?q=russia', file: 'search/index.html' },
    { type: 'graph', path: 'graph/' },
    { type: 'tags', path: 'tags/' },
  ];
  if (tag) types.push({ type: 'tag', path: `tags/${tag.slug}/` });
  if (question) types.push({ type: 'question', path: `forecasts/${question.id.replace('#', '/')}/` });
  if (page) types.push({ type: 'page', path: `${page}/` });
  types.push({ type: '404', path: 'no/such/page/', file: '404.html', status: 404 });
  return types;
}

// ---------------------------------------------------------------- what a page must satisfy

// Opens `url` in a fresh page that records console errors, exceptions and failed requests.
async function open(context, url) {
  const page = await context.newPage();
  const log = { console: [], errors: [], failed: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.console.push(`${m.text()} (${m.location().url || 'no url'})`);
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('requestfailed', (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url() !== url) log.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, log, response };
}

// The document's own expected 404 is reported by Chromium as a console error; nothing else is.
function consoleProblems(log, t, url) {
  const own = (line) => t.status === 404 && line.includes('404') && line.includes(url);
  return [
    ...log.console.filter((l) => !own(l)).map((l) => `console error: ${l}`),
    ...log.errors.map((e) => `uncaught: ${e}`),
    ...log.failed.map((f) => `failed request: ${f}`),
  ];
}

async function axe(page, options = {}) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((o) => window.axe.run(document, o), { resultTypes: ['violations'], ...options });
  return result.violations;
}

function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
    return `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×: ${nodes})`;
  });
}

const severe = (v) => v.impact === 'serious' || v.impact === 'critical';

// Landmarks, skip link, heading order: read from the DOM.
async function structure(page) {
  return page.evaluate(() => {
    const problems = [];
    const count = (sel) => document.querySelectorAll(sel).length;
    if (count('main, [role=main]') !== 1) problems.push(`${count('main')} main landmarks, want 1`);
    if (count('body > header, [role=banner]') < 1) problems.push('no banner (site header)');
    if (count('body > footer, [role=contentinfo]') < 1) problems.push('no contentinfo (site footer)');
    if (count('nav[aria-label]') < 1) problems.push('no labelled navigation');
    for (const nav of document.querySelectorAll('nav')) {
      if (!nav.getAttribute('aria-label') && !nav.getAttribute('aria-labelledby')) problems.push('a nav without a label');
    }
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((h) => h.getClientRects().length > 0);
    const h1s = headings.filter((h) => h.tagName === 'H1');
    if (h1s.length !== 1) problems.push(`${h1s.length} visible h1, want 1`);
    if (headings.length && headings[0].tagName !== 'H1') problems.push(`first heading is ${headings[0].tagName}`);
    let prev = 1;
    for (const h of headings) {
      const level = Number(h.tagName[1]);
      if (level > prev + 1) problems.push(`heading skips a level: h${prev} then h${level} “${h.textContent.trim().slice(0, 40)}”`);
      prev = level;
    }
    if (!document.querySelector('main h1')) problems.push('the h1 is not inside main');
    return problems;
  });
}

// Tabs through the page: the first stop is a visible skip link that moves focus to main, and
// every stop after it shows a focus ring.
async function keyboard(page) {
  const problems = [];
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName, href: el.getAttribute('href'), text: el.textContent.trim(),
      visible: r.width > 20 && r.height > 10 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,
    };
  });
  if (first.tag !== 'A' || first.href !== '#main') problems.push(`first tab stop is ${first.tag} ${first.href}, want the skip link`);
  else if (!first.visible) problems.push('the skip link is not visible when focused');
  await page.keyboard.press('Enter');
  const target = await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  if (target !== 'main') problems.push(`the skip link moves focus to ${target}, want main`);
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
      const label = `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} “${el.textContent.trim().slice(0, 30)}”`;
      return { ok: outline || s.boxShadow !== 'none', label };
    });
    if (ring === null) break;
    if (!ring.ok) problems.push(`no visible focus indicator on ${ring.label}`);
  }
  return problems;
}

async function noSideScroll(page) {
  const { scroll, width, wide } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-wrap, pre'))
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}`);
    return { scroll: document.documentElement.scrollWidth, width, wide };
  });
  return scroll > width ? [`page scrolls sideways: ${scroll}px wide in a ${width}px window (${wide.join(', ')})`] : [];
}

// ---------------------------------------------------------------- the runs

async function overHttp(browser, site, types) {
  const server = await serve(site);
  const base = `http://127.0.0.1:${server.address().port}/`;
  mkdirSync(args.out, { recursive: true });
  try {
    for (const t of types) {
      const url = base + t.path;
      const pageStarted = Date.now();
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
      const { page, log, response } = await open(context, url);
      const want = t.status ?? 200;
      const status = response ? response.status() : 0;
      const loaded = status === want ? [] : [`HTTP ${status}, want ${want}`];
      const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.skip-link')).position === 'absolute');
      if (!styled) loaded.push('the stylesheet did not apply');
      await page.screenshot({ path: join(args.out, `${t.type}-1280.png`), fullPage: true });
      const violations = await axe(page);
      check(`http ${t.type}: loads without console errors or failed requests`, [...loaded, ...consoleProblems(log, t, url)]);
      check(`http ${t.type}: axe, light, no serious or critical violation`, describeViolations(violations.filter(severe)));
      for (const v of violations.filter((x) => !severe(x))) findings.push(`${t.type}: ${describeViolations([v])[0]}`);
      check(`http ${t.type}: landmarks and headings`, await structure(page));
      check(`http ${t.type}: skip link and visible focus`, await keyboard(page));
      await context.close();

      const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
      const d = await open(dark, url);
      // Only colours change between the schemes, so only contrast is checked again.
      const darkProblems = describeViolations((await axe(d.page, { runOnly: ['color-contrast'] })).filter(severe));
      const bg = await d.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (bg === 'rgb(251, 250, 247)' || bg === 'rgb(255, 255, 255)') darkProblems.push(`dark mode keeps a light background (${bg})`);
      check(`http ${t.type}: axe, dark mode, no serious or critical violation`, darkProblems);
      await dark.close();

      const narrow = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
      const n = await open(narrow, url);
      await n.page.screenshot({ path: join(args.out, `${t.type}-375.png`), fullPage: true });
      await n.page.setViewportSize({ width: 360, height: 800 });
      check(`http ${t.type}: fits 360 px without sideways scrolling`, await noSideScroll(n.page));
      await narrow.close();
      console.log(`      (${t.type}: ${((Date.now() - pageStarted) / 1000).toFixed(1)} s)`);
    }
    await printBriefing(browser, base + types.find((t) => t.type === 'briefing').path);
  } finally {
    server.close();
  }
}

// A briefing printed on A4: no navigation, the URL of every source written out.
async function printBriefing(browser, url) {
  const context = await browser.newContext();
  const { page } = await open(context, url);
  await page.emulateMedia({ media: 'print' });
  const problems = await page.evaluate(() => {
    const out = [];
    const nav = document.querySelector('.site-nav');
    if (nav && getComputedStyle(nav).display !== 'none') out.push('the site navigation prints');
    const links = [...document.querySelectorAll('.source__title a[href^="http"]')];
    if (links.length === 0) out.push('no source with a URL on this briefing');
    for (const a of links) {
      const after = getComputedStyle(a, '::after').content;
      if (!after.includes(a.getAttribute('href'))) out.push(`source URL not written out: ${a.getAttribute('href')} (${after})`);
    }
    return out;
  });
  await page.pdf({ path: join(args.out, 'briefing-print-a4.pdf'), format: 'A4', preferCSSPageSize: true, printBackground: true });
  check('print briefing: A4, no navigation, source URLs written out', problems);
  await context.close();
}

// From file://, with the site built for a base path equal to its own folder: the stylesheet
// and every root-relative URL resolve on disk. Links to pages end in `/` and so open the
// folder, not its index.html: that is reported, not failed.
async function overFile(browser, site, types) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let folderLinks = 0;
  let fileLinks = 0;
  let missing = 0;
  for (const t of types) {
    const url = pathToFileURL(join(site, t.file ?? `${t.path}index.html`)).href;
    const { page, log, response } = await open(context, url);
    const problems = consoleProblems(log, {}, url);
    if (!response || !response.ok()) problems.push(`did not load (${response?.status()})`);
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.skip-link')).position === 'absolute');
    if (!styled) problems.push('the stylesheet did not apply');
    check(`file ${t.type}: loads with its stylesheet, no console errors`, problems);
    // Resolved by hand: an SVG link's `href` is not a string.
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')]
      .map((a) => new URL(a.getAttribute('href'), document.baseURI).href).filter((h) => h.startsWith('file:')));
    for (const h of hrefs) {
      const p = fileURLToPath(h.split('#')[0]);
      if (!existsSync(p)) missing += 1;
      else if (statSync(p).isDirectory()) folderLinks += 1;
      else fileLinks += 1;
    }
    await page.close();
  }
  await context.close();
  findings.push(`file://: ${fileLinks} internal links open a file, ${folderLinks} open a folder (pages are …/index.html, linked as …/), ${missing} point nowhere`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
const started = Date.now();
try {
  const types = pageTypes(args.site);
  await overHttp(browser, args.site, types);
  if (args.fileSite) await overFile(browser, args.fileSite, pageTypes(args.fileSite));
} finally {
  await browser.close();
}
if (findings.length) {
  console.log('\nnotes (not failures):');
  for (const f of findings) console.log(`  ${f}`);
}
writeFileSync(join(args.out, 'README.txt'), `Written by tests/browser/theme.mjs: <page type>-<width>.png, briefing-print-a4.pdf.\n`);
console.log(`\nartefacts in ${args.out}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
