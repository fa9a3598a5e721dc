// The search page in a real browser, on a build of tests/fixtures/data-site.
//
//   node tests/browser/search.mjs --site DIR --file-site DIR
//
// --site       a build with base path `/`, served here over http
// --file-site  a build whose base path is that folder's own absolute path, opened from file://
//
// Over http: the home page loads no script and no index, and `/` focuses its search box;
// typing into it and pressing Enter opens /search/?q=…, which loads only the index files the
// query needs and lists the expected results (ranked by BM25: name and short matches first,
// every word required, accents ignored, the matched words marked) and announces their number;
// any form of a word finds the others, the word being typed matches as a prefix, a quoted
// phrase must appear as written; a claim-type facet, an actor facet (rolled up through
// parent), a tag facet and a date facet narrow them and go into the URL; reloading that URL
// restores the state; facet counts follow the query and the other facets; the arrow keys
// reach the results; a result opens its claim. From file://: the same page finds its index
// and its results open files that exist. Prints one line per check and exits 1 on any
// failure.

import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM, LAUNCH_ARGS, serve } from './serve.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = resolve(process.argv[i + 1]);
if (!args.site || !args['file-site']) {
  console.error('usage: node tests/browser/search.mjs --site DIR --file-site DIR');
  process.exit(2);
}

let failed = 0;
function check(name, problems) {
  console.log(`${problems.length ? 'FAIL' : 'ok  '}  ${name}`);
  for (const p of problems) console.log(`        ${p}`);
  if (problems.length) failed += 1;
}
const same = (got, want, what) => (JSON.stringify(got) === JSON.stringify(want) ? [] : [`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`]);

// The results as `kind: text`, once the live region has announced them.
async function results(page, count) {
  await page.waitForFunction((n) => document.getElementById('search-status').textContent.startsWith(n), count, { timeout: 5000 }).catch(() => {});
  return page.$$eval('#search-results li', (lis) => lis.map((li) => `${li.querySelector('.search-hit__meta').firstChild.textContent}: ${li.querySelector('a').textContent}`));
}

async function type(page, text) {
  await page.fill('#search-q', '');
  await page.type('#search-q', text);
}

// Shorter texts rank higher (BM25's length normalisation); ties keep the site's order.
const HAPPEN = ['Forecast: Q happens.', 'Forecast: Z happens.', 'Forecast: V happens.', 'Report: Something happened in Bor.'];
const BOR = ['Actor: Bor', 'Report: Something happened in Bor.', 'Forecast: Bor does X.', 'Forecast: Bor does Y.', 'Statement: The president spoke about Bor.'];
const STATEMENT = BOR[4];

async function overHttp(browser) {
  const server = await serve(args.site);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const requested = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  try {
    await page.goto(base);
    // The theme's one script (sitpress.js) is on every page; search's scripts and index are not.
    check('home: no search script and no index loaded', requested.filter((p) => p.endsWith('.js') && !p.endsWith('/sitpress.js')));
    await page.keyboard.press('/');
    check('home: / focuses the search box', same(await page.evaluate(() => document.activeElement?.id), 'site-search-q', 'focused'));
    requested.length = 0;

    await page.fill('#site-search-q', 'bor');
    await Promise.all([page.waitForURL(/\/search\/\?q=bor$/), page.press('#site-search-q', 'Enter')]);
    const got = await results(page, '5 results');
    const problems = same(got, BOR, 'results for "bor"');
    problems.push(...same(await page.inputValue('#search-q'), 'bor', 'the box keeps the query'));
    problems.push(...same(await page.textContent('#search-status'), '5 results.', 'live region'));
    problems.push(...same(await page.getAttribute('#search-status', 'role'), 'status', 'status role'));
    check('header box -> /search/?q=bor: the actor (name match) first, then claims', problems);
    const index = requested.filter((p) => p.includes('/search-index/'));
    const lazy = [];
    if (!index.includes('/search-index/manifest.js')) lazy.push('the manifest not loaded');
    // One word sent with Enter carries its own facet counts: the facet columns wait.
    if (index.includes('/search-index/facets.js')) lazy.push('facets.js loaded for one word');
    // This small site's terms starting with b fit in one file.
    if (!index.includes('/search-index/t/b.js')) lazy.push(`the term file of "bor" not loaded: ${index}`);
    const others = index.filter((p) => !/\/(manifest|facets)\.js$|\/t\/b\.js$|\/d\/\d+\.js$/.test(p));
    if (others.length) lazy.push(`loaded more than the query needs: ${others}`);
    if (index.filter((p) => p.includes('/d/')).length > 3) lazy.push(`too many document files: ${index}`);
    check('only the manifest, the term file of "bor" and the documents shown are loaded', lazy);
    const marks = await page.$$eval('#search-results li', (lis) => lis.map((li) => [...li.querySelectorAll('mark')].map((m) => m.textContent).join()));
    check('the matched words are marked in titles and excerpts', same(marks, ['Bor', 'Bor', 'Bor', 'Bor', 'Bor'], 'marks'));

    await type(page, 'BÓR  does');
    check('every word must match, case and accents ignored', same(await results(page, '2 results'), BOR.slice(2, 4), 'results for "BÓR  does"'));

    await type(page, 'bor');
    await results(page, '5 results');
    await page.check('#search-type-statement');
    const narrowed = await results(page, '1 result');
    const p2 = same(narrowed, [STATEMENT], 'type facet');
    if (!page.url().includes('type=statement')) p2.push(`facet not in the URL: ${page.url()}`);
    const focused = await page.evaluate(() => document.activeElement?.id);
    p2.push(...same(focused, 'search-type-statement', 'focus stays on the facet'));
    check('claim-type facet narrows the results and goes into the URL', p2);

    await page.check('#search-type-any');
    await results(page, '5 results');
    await page.check('#search-actor-aland-pres');
    const p3 = same(await results(page, '1 result'), [STATEMENT], 'actor facet');
    if (!page.url().includes('actor=aland-pres')) p3.push(`facet not in the URL: ${page.url()}`);
    await page.reload();
    p3.push(...same(await results(page, '1 result'), [STATEMENT], 'after a reload'));
    p3.push(...same(await page.isChecked('#search-actor-aland-pres'), true, 'the facet is checked after a reload'));
    check('actor facet narrows the results; the URL restores query and facets', p3);

    // b1 is tagged Grain, b2 grain and Energy, b3 energy: a claim has its briefing's tags.
    await page.goto(`${base}search/?q=happen`);
    const p5 = same(await results(page, '4 results'), HAPPEN, 'results for "happen"');
    const tagLabels = () => page.$$eval('#search-tags label', (ls) => ls.map((l) => l.textContent));
    p5.push(...same(await tagLabels(), ['Grain 4', 'Energy 1'], 'tag facet counts for the query, most first'));
    await page.check('#search-tag-energy');
    p5.push(...same(await results(page, '1 result'), [HAPPEN[0]], 'tag facet'));
    p5.push(...same(await tagLabels(), ['Energy 1', 'Grain 4'], 'the chosen tag first, the others counted without it'));
    if (!page.url().includes('tag=energy')) p5.push(`facet not in the URL: ${page.url()}`);
    await page.reload();
    p5.push(...same(await results(page, '1 result'), [HAPPEN[0]], 'after a reload'));
    p5.push(...same(await page.isChecked('#search-tag-energy'), true, 'the tag is checked after a reload'));
    await page.goto(`${base}search/?q=happen&type=report`);
    p5.push(...same(await results(page, '1 result'), [HAPPEN[3]], 'type facet'));
    p5.push(...same(await tagLabels(), ['Grain 1'], 'tag counts with the type facet applied'));
    await page.goto(`${base}search/?tag=grain&tag=energy`);
    p5.push(...same((await results(page, '4 results')).slice(0, 1), ['Briefing: Second'], 'two tags, no words: what has both'));
    p5.push(...same(await page.isChecked('#search-tag-grain'), true, 'the facet is checked from the URL'));
    check('tag facet narrows the results, counted for the query; the URL restores it', p5);

    // One word's facet counts come from the build; typed (its last word a prefix), the same
    // query is counted in the page from the facet columns: both agree.
    const labels = () => page.$$eval('#search-facets label', (ls) => ls.map((l) => l.textContent));
    await page.goto(`${base}search/?q=bor`);
    await results(page, '5 results');
    const built = await labels();
    requested.length = 0;
    await type(page, 'bor');
    await results(page, '5 results');
    const p9 = same(await labels(), built, 'facet counts of "bor" typed');
    if (!requested.some((p) => p.endsWith('/search-index/facets.js'))) p9.push('typed, the facet columns were not loaded');
    if (built.length < 8) p9.push(`too few facet options to compare: ${built}`);
    check("one word's facet counts from the build equal the page's own", p9);

    await page.goto(`${base}search/?q=happening`);
    const p6 = same((await results(page, '4 results')).sort(), [...HAPPEN].sort(), 'results for "happening": every form of happen');
    // "happe" is no word's stem: only as a prefix does it find "happen".
    await type(page, 'happe');
    p6.push(...same(await results(page, '4 results'), HAPPEN, 'the word being typed is a prefix'));
    await type(page, 'happe ');
    p6.push(...same(await results(page, 'No'), [], 'a word followed by a space is whole'));
    await page.goto(`${base}search/?q=${encodeURIComponent('"bor does"')}`);
    p6.push(...same(await results(page, '2 results'), BOR.slice(2, 4), 'a phrase'));
    await page.goto(`${base}search/?q=${encodeURIComponent('"does bor"')}`);
    p6.push(...same(await results(page, 'No'), [], 'the same words out of order'));
    check('stems, the prefix being typed and quoted phrases', p6);

    // The statement is by the President of Aland, whose parent is Aland: it counts under both.
    await page.goto(`${base}search/?q=spoke`);
    const actorLabels = () => page.$$eval('#search-actors label', (ls) => ls.map((l) => l.textContent));
    const p7 = same(await results(page, '1 result'), [STATEMENT], 'results for "spoke"');
    p7.push(...same(await actorLabels(), ['Aland 1', 'President of Aland 1', 'Bor 1'], 'actors rolled up through parent'));
    if (await page.$('#search-actor-aland')) {
      await page.check('#search-actor-aland');
      p7.push(...same(await results(page, '1 result'), [STATEMENT], 'the parent narrows to what its children did'));
    } else p7.push('no facet option for the parent, Aland');
    check('the actor facet rolls up through parent', p7);

    await page.goto(`${base}search/?q=happen`);
    await results(page, '4 results');
    const yearLabels = () => page.$$eval('#search-dates .search__option label', (ls) => ls.map((l) => l.textContent));
    const p8 = same(await yearLabels(), ['Any', '2024 4'], 'years counted for the query');
    await page.check('#search-year-2024');
    p8.push(...same((await results(page, '4 results')).length, 4, 'a year'));
    if (!page.url().includes('from=2024&to=2024')) p8.push(`year not in the URL: ${page.url()}`);
    // Q happens in b2 (1 November); the others in b0 and b1 (1 October).
    await page.goto(`${base}search/?q=happen&from=2024-10-02`);
    p8.push(...same(await results(page, '1 result'), [HAPPEN[0]], 'from a date'));
    await page.fill('#search-from', '2024-09-01');
    await page.fill('#search-to', '2024-10-31');
    p8.push(...same(await results(page, '3 results'), HAPPEN.slice(1), 'a range typed in'));
    if (!page.url().includes('from=2024-09-01&to=2024-10-31')) p8.push(`range not in the URL: ${page.url()}`);
    check('the date facet counts years and narrows to a range', p8);

    await page.goto(`${base}search/?q=president`);
    await page.focus('body');
    await page.keyboard.press('/');
    check('search page: / focuses its own box', same(await page.evaluate(() => document.activeElement?.id), 'search-q', 'focused'));
    const president = await results(page, '3 results');
    await page.focus('#search-q');
    await page.keyboard.press('ArrowDown');
    // The newer briefing's claim first.
    const p4 = same(president, ['Actor: President of Aland', 'Assessment: The president is in control.', STATEMENT], 'results for "president"');
    p4.push(...same(await page.evaluate(() => document.activeElement.textContent), 'President of Aland', 'ArrowDown from the box'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    p4.push(...same(await page.evaluate(() => document.activeElement.textContent), 'The president is in control.', 'ArrowDown, ArrowDown, ArrowUp'));
    await Promise.all([page.waitForURL(/\/briefings\/b2\/#claim-c2$/), page.keyboard.press('Enter')]);
    p4.push(...same(await page.isVisible('#claim-c2'), true, 'the claim is on the page it opens'));
    check('arrow keys walk the results; a result opens its claim', p4);

    await page.goto(`${base}search/?q=zzzz`);
    check('no match says so', same(await results(page, 'No'), [], 'results for "zzzz"'));
    check('no console errors, no uncaught exceptions', errors);
  } finally {
    await context.close();
    server.close();
  }
}

async function overFile(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(pathToFileURL(join(args['file-site'], 'search', 'index.html')).href);
    await type(page, 'bor');
    const problems = same(await results(page, '5 results'), BOR, 'results from file://');
    await page.check('#search-type-forecast');
    problems.push(...same(await results(page, '2 results'), BOR.slice(2, 4), 'type facet from file://'));
    const hrefs = await page.$$eval('#search-results a', (as) => as.map((a) => a.href));
    for (const h of hrefs) {
      const file = fileURLToPath(h.split('#')[0]);
      if (!existsSync(file) || !file.endsWith('index.html')) problems.push(`${h} does not open a file`);
    }
    problems.push(...errors);
    check('file://: the index loads, results and facets work, results open files', problems);
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
try {
  await overHttp(browser);
  await overFile(browser);
} finally {
  await browser.close();
}
console.log(failed ? `${failed} failed` : 'all passed');
process.exit(failed ? 1 : 0);
