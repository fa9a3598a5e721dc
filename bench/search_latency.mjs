// Search speed in headless Chromium on a built site (e.g. the 10,000-briefing corpus).
//
//   node bench/search_latency.mjs OUTPUT_DIR [QUERY...]
//
// Serves OUTPUT_DIR over http, opens /search/, and reports the index size (raw and gzip), the
// time from navigation until the index is loaded and prepared, and for each query the time of
// one search as the reader types it: performance.now() around setting the box's value and
// dispatching `input`, which runs the search, the facet counts and the result list's DOM
// update synchronously (layout and paint not included). Each query is timed as typed letter
// by letter, five times; the medians of the slowest keystroke and of the full query are
// reported, since a shared machine adds noise. Measures; never asserts.

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
const queries = rest.length ? rest : ['an', 'power', 'strikes on power plants', 'central bank talks', 'zzzz', 'e a'];
const site = resolve(dir);
const raw = readFileSync(join(site, 'search-index.js'));
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`index: ${kb(raw.length)} raw, ${kb(gzipSync(raw, { level: 6 }).length)} gzip`);

const server = await serve(site);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
try {
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${server.address().port}/search/`);
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('Type'), null, { timeout: 60000 });
  console.log(`page load to index ready: ${Date.now() - t0} ms`);
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize);
  if (heap) console.log(`JS heap after load: ${(heap / 1048576).toFixed(0)} MiB`);
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const q of queries) {
    const runs = [];
    for (let run = 0; run < 5; run += 1) {
      runs.push(await page.evaluate((query) => {
        const input = document.getElementById('search-q');
        const out = [];
        for (let i = 0; i <= query.length; i += 1) {
          const t = performance.now();
          input.value = query.slice(0, i);
          input.dispatchEvent(new Event('input'));
          out.push(performance.now() - t);
        }
        return out.slice(1);
      }, q));
    }
    const count = await page.evaluate(() => document.querySelectorAll('#search-results li').length);
    await page.waitForTimeout(500); // the live region speaks once the typing pauses
    const n = await page.textContent('#search-status');
    const full = median(runs.map((t) => t.at(-1)));
    const worst = median(runs.map((t) => Math.max(...t)));
    console.log(`"${q}": full query ${full.toFixed(1)} ms, slowest keystroke ${worst.toFixed(1)} ms (medians of 5); ${n} (${count} shown)`);
  }
} finally {
  await browser.close();
  server.close();
}
