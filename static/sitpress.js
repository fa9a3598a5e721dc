/* The built-in theme's script, on every page (cached once): keyboard search and links that work
   from disk. */
/* "/" focuses the search box (the search page's own, or the header's), unless the reader is
   typing into a field. */
document.addEventListener("keydown", function (e) {
  var t = e.target, box;
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
  box = document.getElementById("search-q") || document.getElementById("site-search-q");
  if (box) { e.preventDefault(); box.focus(); box.select(); }
});
/* Opened from disk (file://), a link to a folder shows a directory listing: point folder
   links at their index.html, now and when clicked (links added later included). */
if (location.protocol === "file:") (function () {
  function fix(el, attr) {
    var v = el.getAttribute(attr), m;
    if (!v || /^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(v)) return;
    if ((m = v.match(/^([^?#]*\/)([?#].*)?$/))) el.setAttribute(attr, m[1] + "index.html" + (m[2] || ""));
  }
  document.querySelectorAll("a[href]").forEach(function (a) { fix(a, "href"); });
  document.querySelectorAll("form[action]").forEach(function (f) { fix(f, "action"); });
  document.addEventListener("click", function (e) { var a = e.target.closest && e.target.closest("a[href]"); if (a) fix(a, "href"); }, true);
  document.addEventListener("submit", function (e) { fix(e.target, "action"); }, true);
})();
