// A real browser on `sitpress serve`: open a page, add a paragraph to the briefing's body and see
// the open page reload with it while another open page that did not change does not reload;
// change the briefing's title on disk, and see the open page reload by itself and show the new
// title; break the file and see the error overlay; fix it and see the overlay go. The test
// never navigates, and never waits for a while: each step waits for the event it expects
// (with a generous bound, for a failing run only).
//
// usage: node tests/browser/serve-reload.mjs URL FILE NEW_TITLE
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";

const [url, file, newTitle] = process.argv.slice(2);
const PATIENCE = 60000;
const fail = (msg) => {
  console.error(`FAIL: ${msg}`);
  process.exit(1);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} ${r.url()}`));
  // A page is subscribed once its event stream's response has begun: the server subscribes
  // before it answers, so no save after this is missed.
  const subscribed = (p) => p.waitForResponse((r) => r.url().includes("/__sitpress/events"), { timeout: PATIENCE });
  let open = subscribed(page);
  await page.goto(url);
  await open;

  // A body edit: this page reloads with the new text at once; the home page, which the edit
  // does not change, stays as it is through the preview and the rebuild behind it.
  const other = await browser.newPage();
  open = subscribed(other);
  await other.goto(new URL("/", url).href);
  await open;
  let otherLoads = 0;
  other.on("load", () => otherLoads++);
  const original = readFileSync(file, "utf8");
  let reloaded = page.waitForEvent("load", { timeout: PATIENCE });
  writeFileSync(file, original + "\nA paragraph added while the page was open.\n");
  await reloaded.catch(() => fail("the page did not reload after a body edit"));
  if (!(await page.textContent("main")).includes("A paragraph added")) fail("the new paragraph is not shown");
  // The preview's reload and the rebuild's behind it: the other page sees both and stays.
  await other
    .waitForFunction(() => window.sitpressReloadsSeen >= 2, null, { timeout: PATIENCE })
    .catch(() => fail("the other page did not see the preview's and the rebuild's reloads and stay"));
  if (otherLoads) fail("a page the body edit did not change reloaded");
  await other.close();

  reloaded = page.waitForEvent("load", { timeout: PATIENCE });
  writeFileSync(file, original.replace(/^title: .*$/m, `title: ${newTitle}`));
  await reloaded.catch(() => fail("the page did not reload after the save"));
  const h1 = await page.textContent("h1");
  if (!h1.includes(newTitle)) fail(`after the reload the title is ${JSON.stringify(h1)}`);

  // Break the briefing: the overlay appears over the page, naming file, line and column.
  const edited = readFileSync(file, "utf8");
  writeFileSync(file, edited.replace(/^date: .*$/m, "date: 2024-13-45"));
  const overlay = await page.waitForSelector("#sitpress-overlay", { timeout: PATIENCE }).catch(() => null);
  if (!overlay) fail("no error overlay after breaking the file");
  const text = await overlay.textContent();
  if (!/\.md:\d+:\d+: invalid date/.test(text)) fail(`overlay text: ${text}`);
  if (!(await page.textContent("h1")).includes(newTitle)) fail("the last good page is not under the overlay");

  // Fix it: the page reloads and the overlay is gone.
  reloaded = page.waitForEvent("load", { timeout: PATIENCE });
  writeFileSync(file, edited);
  await reloaded.catch(() => fail("the page did not reload after the fix"));
  if (await page.$("#sitpress-overlay")) fail("the overlay is still shown after the fix");
  if (consoleErrors.length) fail(`console errors: ${consoleErrors.join("; ")}`);
  console.log("ok");
} finally {
  await browser.close();
}
