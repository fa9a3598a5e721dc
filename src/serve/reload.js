// sitpress serve: reload when this page changed (or everything did), show build errors over
// the last good page.
// Injected by `sitpress serve` only; never part of a built site.
(() => {
  "use strict";
  const id = "sitpress-overlay";
  const hide = () => document.getElementById(id)?.remove();
  const show = (errors) => {
    hide();
    const box = document.createElement("div");
    box.id = id;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "The site does not build");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace";
    const title = document.createElement("h2");
    title.textContent = errors.length === 1 ? "1 error: the site does not build" : errors.length + " errors: the site does not build";
    title.style.cssText = "color:#ff8a80;font:bold 18px/1.3 system-ui,sans-serif;margin:0 0 1rem";
    box.appendChild(title);
    for (const e of errors) {
      const pre = document.createElement("pre");
      pre.className = "sitpress-error";
      pre.textContent = e.text || e.location + ": " + e.message;
      pre.style.cssText = "white-space:pre-wrap;margin:0 0 1.2rem;padding:1rem;background:#000;border-left:4px solid #ff5252";
      box.appendChild(pre);
    }
    const note = document.createElement("p");
    note.textContent = "Showing the last good page underneath. Fix the file and save: this page reloads by itself.";
    note.style.cssText = "font-family:system-ui,sans-serif;color:#bbb";
    box.appendChild(note);
    document.body.appendChild(box);
  };
  const events = new EventSource("/__sitpress/events");
  // The data is "*" (everything changed) or a JSON list of the URL paths that changed.
  const here = () => decodeURIComponent(location.pathname).replace(/index\.html$/, "");
  // How many `reload` events this page has seen and stayed (for tests and tools: a page that
  // counts one without reloading has decided it did not change).
  window.sitpressReloadsSeen = 0;
  events.addEventListener("reload", (e) => {
    let paths = null;
    try {
      paths = e.data === "*" ? null : JSON.parse(e.data);
    } catch (_) {}
    if (document.getElementById(id) || !Array.isArray(paths) || paths.includes(here())) location.reload();
    else window.sitpressReloadsSeen++;
  });
  events.addEventListener("build-error", (e) => {
    try {
      show(JSON.parse(e.data));
    } catch (_) {
      show([{ text: e.data }]);
    }
  });
})();
