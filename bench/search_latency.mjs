// Search cost in headless Chromium on a built site (e.g. a generated corpus of 10,000
// briefings): what a reader's browser downloads for a query, and how soon results show.
//
//   node bench/search_latency.mjs OUTPUT_DIR [QUERY...]
//
// Serves OUTPUT_DIR over http as a plain static host, and for each query opens
// /search/?q=QUERY in a fresh browser context (empty cache), as a reader following a link or
// pressing Enter in the header's box does. Reports, per query: every file the page fetched
// until the first results were shown (the page, the stylesheet, the scripts, the index files),
// their bytes raw and gzipped (level 6, as a static host compresses), and the time from the
// start of navigation to the first result in the list (a MutationObserver in the page, with
// performance.now(), whose origin is the navigation's start), and from DOMContentLoaded
// (the page parsed, search.js run) to the first result: the search's own share. The load event
// comes after the first results, since it waits for the index scripts too.
// Each query is run five times; times are medians (a shared machine adds noise), bytes are
// the same every run. Then, in the same page, the time of each keystroke's search as the
// last query is typed letter by letter (from the input event to the status line's update).
// Measures; never asserts.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM, LAUNCH_ARGS, serve } from '../tests/browser/serve.mjs';

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node bench/search_latency.mjs OUTPUT_DIR [QUERY...]');
  process.exit(2);
}
const queries = rest.length ? rest : ['power', 'sanctions', 'ceasefire', 'strikes on power plants', '"central bank"'];
const site = resolve(dir);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const RUNS = 5;

const server = await serve(site);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
try {
  for (const q of queries) {
    const firsts = [];
    const loads = [];
    const ready = [];
    let files = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(() => {
        new MutationObserver((_, obs) => {
          const list = document.getElementById('search-results');
          if (list && (list.children.length || /^No result/.test(document.getElementById('search-status')?.textContent || ''))) {
            window.FIRST_RESULTS = performance.now();
            obs.disconnect();
          }
        }).observe(document, { childList: true, subtree: true, characterData: true });
      });
      const fetched = [];
      page.on('requestfinished', (r) => fetched.push(new URL(r.url()).pathname));
      await page.goto(`${base}/search/?q=${encodeURIComponent(q)}`);
      await page.waitForFunction(() => window.FIRST_RESULTS !== undefined, null, { timeout: 60000 });
      const [first, load, dcl] = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return [window.FIRST_RESULTS, nav.loadEventEnd, nav.domContentLoadedEventEnd];
      });
      firsts.push(first);
      loads.push(load);
      ready.push(dcl);
      // Only what was fetched by the time the first results showed counts (requests finish
      // after their bytes arrive, so anything later is not in this list yet).
      if (run === 0) files = [...new Set(fetched)];
      await context.close();
    }
    let raw = 0;
    let gz = 0;
    const kinds = {};
    for (const f of files) {
      let path = decodeURIComponent(f);
      if (path.endsWith('/')) path += 'index.html';
      const bytes = readFileSync(join(site, path));
      const z = gzipSync(bytes, { level: 6 }).length;
      raw += bytes.length;
      gz += z;
      const kind = path.includes('/search-index/') ? path.split('/')[2].replace(/\.js$/, '') : path.split('.').pop();
      kinds[kind] = (kinds[kind] || 0) + z;
    }
    const parts = Object.entries(kinds).map(([k, n]) => `${k} ${kb(n)}`).join(', ');
    console.log(`"${q}": ${files.length} files, ${kb(raw)} raw, ${kb(gz)} gzip (${parts}); first results ${median(firsts).toFixed(0)} ms after navigation start, ${median(firsts.map((f, i) => f - ready[i])).toFixed(0)} ms after DOMContentLoaded (${median(ready).toFixed(0)} ms), load event ${median(loads).toFixed(0)} ms (medians of ${RUNS})`);
  }

  // Typing: each keystroke's search, from the input event until the status line changes.
  const page = await browser.newPage();
  await page.goto(`${base}/search/`);
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('Type'), null, { timeout: 60000 });
  const q = queries.at(-1).replace(/"/g, '');
  const times = [];
  for (let i = 1; i <= q.length; i += 1) {
    times.push(await page.evaluate((text) => new Promise((done) => {
      const status = document.getElementById('search-status');
      const list = document.getElementById('search-results');
      const t = performance.now();
      const obs = new MutationObserver(() => {
        obs.disconnect();
        done(performance.now() - t);
      });
      obs.observe(list, { childList: true });
      obs.observe(status, { childList: true, characterData: true, subtree: true });
      const input = document.getElementById('search-q');
      input.value = text;
      input.dispatchEvent(new Event('input'));
      // A keystroke that changes nothing shown (the same results) reports after 2 s.
      setTimeout(() => { obs.disconnect(); done(NaN); }, 2000);
    }), q.slice(0, i)));
  }
  const measured = times.filter((t) => !Number.isNaN(t));
  console.log(`typing "${q}": slowest keystroke ${Math.max(...measured).toFixed(1)} ms, median ${median(measured).toFixed(1)} ms (${measured.length} of ${q.length} keystrokes changed the page)`);
} finally {
  await browser.close();
  server.close();
}
