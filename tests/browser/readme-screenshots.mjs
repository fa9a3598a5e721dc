// Regenerates the README's screenshots (docs/screenshots/*.png) from a build of the example
// site: `cargo run -- build --output /dev/shm/site && node tests/browser/readme-screenshots.mjs /dev/shm/site`.
// The PNGs are then made small with `convert X.png -colors 96 PNG8:X.png` (ImageMagick).

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, LAUNCH_ARGS, serve } from './serve.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = process.argv[2];
if (!site) {
  console.error('usage: node tests/browser/readme-screenshots.mjs SITE_DIR');
  process.exit(2);
}
const out = join(repo, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const shots = [
  { name: 'briefing.png', path: 'briefings/nato-us-confirm-kursk-deployment/', scheme: 'light' },
  { name: 'dossier.png', path: 'actors/russia/', scheme: 'dark' },
];
const server = await serve(site);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
try {
  for (const s of shots) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 860 }, colorScheme: s.scheme });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/${s.path}`);
    if (s.from) await page.evaluate((sel) => document.querySelector(sel).scrollIntoView(), s.from);
    await page.screenshot({ path: join(out, s.name) });
    await context.close();
    console.log(join(out, s.name));
  }
} finally {
  await browser.close();
  server.close();
}
