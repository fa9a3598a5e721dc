// A real browser against `sitpress serve`, as a page on another site would use it:
//
// - a page on another site (http://localhost:N, while the preview is http://127.0.0.1:PORT)
//   includes the preview's search index with <script src>: the script does not load and its
//   global stays undefined; a link on that page still opens the preview's page;
// - DNS rebinding: a name of the attacker's that resolves to 127.0.0.1 gets a 403 that says
//   how to allow a name, and none of the site;
// - the preview's own search page still loads its index.
//
// usage: node tests/browser/serve-cross-site.mjs PORT
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { CHROMIUM, LAUNCH_ARGS } from "./serve.mjs";

const PATIENCE = 60000;
const port = process.argv[2];
const preview = `http://127.0.0.1:${port}`;
let failed = 0;
const check = (name, ok, detail = "") => {
  console.log(`${ok ? "ok" : "FAIL"}: ${name}${ok ? "" : ` ${detail}`}`);
  if (!ok) failed++;
};

const elsewhere = createServer((_, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><title>elsewhere</title>
<script>window.result = "pending";</script>
<script src="${preview}/search-index/manifest.js" onload="window.result = 'loaded'" onerror="window.result = 'blocked'"></script>
<a id="open" href="${preview}/briefings/b1/">the preview</a>`);
});
await new Promise((ok) => elsewhere.listen(0, "127.0.0.1", ok));
const other = `http://localhost:${elsewhere.address().port}/`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [...LAUNCH_ARGS, "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
});
try {
  const page = await browser.newPage();
  // The browser hides a refused no-cors response from the page (and from the test): what
  // shows is that the script failed and defined nothing; served, it would define the index.
  await page.goto(other);
  await page.waitForFunction(() => window.result !== "pending", null, { timeout: PATIENCE });
  const result = await page.evaluate(() => [window.result, typeof window.SITPRESS_SEARCH_INDEX]);
  check(
    "another site's <script src> of the index fails and reads nothing",
    result[0] === "blocked" && result[1] === "undefined",
    JSON.stringify(result),
  );

  await Promise.all([page.waitForURL(`${preview}/briefings/b1/`, { timeout: PATIENCE }), page.click("#open")]);
  check("a link from another site opens the page", (await page.textContent("h1")).includes("First"));

  for (const path of ["/", "/search-index/manifest.js", "/briefings/b1/"]) {
    const r = await page.goto(`http://rebind.test:${port}${path}`);
    const text = await page.textContent("body");
    check(
      `a rebound name gets 403 for ${path}`,
      r.status() === 403 && text.includes("--allow-host rebind.test") && !text.includes("First"),
      `${r.status()} ${text.slice(0, 200)}`,
    );
  }

  const own = page.waitForResponse((r) => r.url().endsWith("/search-index/manifest.js"), { timeout: PATIENCE });
  await page.goto(`${preview}/search/?q=bor`);
  check("the preview's own search page loads its index", (await own).status() === 200);
  // Results drawn from the index: its files were read, not only requested.
  await page.waitForFunction(() => document.getElementById("search-results").children.length > 0, null, {
    timeout: PATIENCE,
  });
} finally {
  await browser.close();
  elsewhere.close();
}
process.exit(failed ? 1 : 0);
