// The actor graph in a real browser: open /graph/, click the most covered actor's node (drawn
// last, so on top) and land on that actor's dossier. No JavaScript is involved: nodes are
// plain SVG links.
//
//   node tests/browser/graph.mjs SITE   (a build whose base path is `/`)
//
// Prints `ok` and exits 0, or prints what went wrong and exits 1. Uses only the browser on
// this machine (CHROMIUM, default /usr/bin/chromium).

import { chromium } from 'playwright-core';
import { CHROMIUM, LAUNCH_ARGS, serve } from './serve.mjs';

const [site] = process.argv.slice(2);
if (!site) {
  console.error('usage: node tests/browser/graph.mjs SITE');
  process.exit(2);
}
const fail = (msg) => {
  console.log(`FAIL: ${msg}`);
  process.exitCode = 1;
};

const server = await serve(site);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const page = await context.newPage();
  const errors = [];
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(`${base}graph/`);
  const nodes = page.locator('svg.graph__svg a.gnode');
  const count = await nodes.count();
  if (count < 2) fail(`${count} nodes on /graph/`);
  const node = nodes.last();
  const href = await node.getAttribute('href');
  const title = await node.locator('title').textContent();
  const name = title.replace(/ \([^()]*\)$/, '');
  // Click the node's shape (its label may sit elsewhere); the browser follows the SVG link.
  await Promise.all([page.waitForURL(new URL(href, base).href, { timeout: 5000 }), node.locator('circle, polygon').click()]);
  const h1 = (await page.textContent('main h1')).trim();
  if (h1 !== name) fail(`landed on “${h1}”, want the dossier of “${name}”`);
  if (!(await page.$('#dossier-network figure.graph--ego a.gnode--ego'))) fail('the dossier has no ego graph centred on the actor');
  if (errors.length) fail(`failed requests: ${errors.join('; ')}`);
  if (!process.exitCode) console.log(`ok: clicked ${name} on /graph/ and opened ${href}`);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
