// The /search/ page. Loads search-index.js from beside this script's own URL (any base path,
// relative links) with a script element, not fetch(), which file:// forbids. Every word must
// match, case and accents ignored. State is in the URL: ?q=…&type=<claim type>&actor=<id>…&tag=<slug>…
(() => {
  'use strict';
  const script = document.currentScript;
  const $ = (id) => document.getElementById(id);
  const form = $('search-form');
  const input = $('search-q');
  const status = $('search-status');
  const facets = $('search-facets');
  const typeBox = $('search-types');
  const actorBox = $('search-actors');
  // A theme's own search page may predate the tag facet: then it has no box and no facet.
  const tagBox = $('search-tags');
  const list = $('search-results');
  const more = $('search-more');
  if (!script || !form) return;
  const root = new URL('.', script.src);
  // From file:// a folder URL opens a listing, not its index.html.
  const page = location.protocol === 'file:' ? 'index.html' : '';
  const PAGE = 50;
  const TOP_ACTORS = 12;
  const TOP_TAGS = 12;
  const NONE = [];
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = (q) => [...new Set(fold(q).split(/[^\p{L}\p{N}-]+/u).filter(Boolean))].sort((a, b) => b.length - a.length);

  const params = new URLSearchParams(location.search);
  const state = { q: params.get('q') || '', type: params.get('type') || '', actors: params.getAll('actor'), tags: params.getAll('tag') };
  let shown = PAGE;
  let idx = null;
  let announce = 0;
  input.value = state.q;

  // The index as items in display order: newest first, an actor just before the newest
  // briefing that names it, a briefing before its claims. Ranking then only has to move the
  // title matches first, keeping this order within each group.
  function prepare(raw) {
    const u = raw.urls;
    const link = (pattern, id) => pattern.replace('{id}', id);
    // One shape for every kind keeps the search loop's property reads fast.
    // An index without tags (from before they were added to it) has none to facet on.
    const item = (kind, text, meta, url, actors, type, head, hay, tags) => ({ kind, text, meta, url, actors, type, head, hay, tags, date: '', in: '', summary: '' });
    const actors = raw.actors.map(([id, name, aliases], i) =>
      item(0, name, aliases ? `also ${aliases}` : '', link(u.actor, id), [i], -1, fold(`${name} ${aliases}`), fold(`${name} ${aliases} ${id}`), NONE));
    const briefings = raw.briefings.map(([id, title, date, summary, tags, actorIx, tagIx]) =>
      Object.assign(item(1, title, '', link(u.briefing, id), actorIx, -1, fold(title), fold(`${title} ${summary} ${tags}`), tagIx || NONE), { date, summary }));
    const claims = briefings.map(() => []);
    for (const [b, id, type, text, quote, actorIx] of raw.claims) {
      const br = briefings[b];
      const c = item(2, text, '', `${br.url}#${link(u.claim, id)}`, actorIx, type, null, fold(quote ? `${text} ${quote}` : text), br.tags);
      c.date = br.date;
      c.in = br.text;
      claims[b].push(c);
    }
    const items = [];
    const byRec = [];
    raw.actors.forEach((a, i) => (byRec[a[3]] ||= []).push(actors[i]));
    briefings.forEach((b, i) => items.push(...(byRec[i] || []), b, ...claims[i]));
    items.push(...(byRec[briefings.length] || []));
    // All the text in one string, scanned with indexOf for the longest word; each item's
    // text is a slice of it (V8 shares the characters), for the other words.
    const all = items.map((it) => it.hay).join('\n');
    const ends = new Int32Array(items.length);
    let at = 0;
    items.forEach((it, i) => {
      ends[i] = at + it.hay.length;
      it.hay = all.slice(at, ends[i]);
      at = ends[i] + 1;
    });
    const tags = raw.tags || NONE;
    return { types: raw.types, actors: raw.actors, tags, items, all, ends, actorIx: new Map(raw.actors.map((a, i) => [a[0], i])), tagIx: new Map(tags.map((t, i) => [t[0], i])) };
  }

  // Indices of the items containing every word. While the reader types on, each new query
  // is narrower than the last (every old word is inside a new one): only the last matches are
  // searched again.
  let prev = { ws: [], hits: null };
  function match(ws) {
    const narrower = prev.hits && prev.ws.every((o) => ws.some((w) => w.includes(o)));
    let hits = [];
    if (!ws.length) hits = null;
    else if (narrower) hits = prev.hits.filter((i) => ws.every((w) => idx.items[i].hay.includes(w)));
    else {
      const { all, ends, items } = idx;
      const rest = ws.slice(1);
      let i = 0;
      for (let p = all.indexOf(ws[0]); p >= 0; p = all.indexOf(ws[0], ends[i++] + 1)) {
        while (ends[i] < p) i += 1;
        if (rest.every((w) => items[i].hay.includes(w))) hits.push(i);
      }
    }
    prev = { ws, hits };
    return hits;
  }

  // Every item matching all words, title matches first; each facet's counts with the other
  // facets applied; the results with all applied. A claim has its briefing's tags.
  function search() {
    // A single letter matches nearly everything: wait for a second one.
    let ws = words(state.q);
    if (ws.length && ws[0].length < 2) ws = [];
    const type = idx.types.findIndex((t) => t[0] === state.type);
    const want = state.actors.map((a) => idx.actorIx.get(a)).filter((a) => a !== undefined);
    const wantTags = state.tags.map((t) => idx.tagIx.get(t)).filter((t) => t !== undefined);
    const typeCount = new Int32Array(idx.types.length);
    const actorCount = new Int32Array(idx.actors.length);
    const tagCount = new Int32Array(idx.tags.length);
    const first = [];
    const rest = [];
    if (!ws.length && type < 0 && !want.length && !wantTags.length) return { ws, type, want, wantTags, typeCount, actorCount, tagCount, results: first };
    const hits = match(ws);
    const n = hits ? hits.length : idx.items.length;
    for (let h = 0; h < n; h += 1) {
      const it = idx.items[hits ? hits[h] : h];
      const actorsOk = want.length === 0 || want.every((a) => it.actors.includes(a));
      const typeOk = type < 0 || it.type === type;
      const tagsOk = wantTags.length === 0 || wantTags.every((t) => it.tags.includes(t));
      if (actorsOk && tagsOk && it.type >= 0) typeCount[it.type] += 1;
      if (typeOk && tagsOk) for (let k = 0; k < it.actors.length; k += 1) actorCount[it.actors[k]] += 1;
      if (actorsOk && typeOk) for (let k = 0; k < it.tags.length; k += 1) tagCount[it.tags[k]] += 1;
      if (actorsOk && typeOk && tagsOk) (it.head !== null && ws.every((w) => it.head.includes(w)) ? first : rest).push(it);
    }
    return { ws, type, want, wantTags, typeCount, actorCount, tagCount, results: first.concat(rest) };
  }

  function el(tag, props, ...children) {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...children);
    return e;
  }

  function option(name, value, label, count, checked, radio) {
    const id = `search-${name}-${value || 'any'}`;
    const box = el('input', { type: radio ? 'radio' : 'checkbox', name, value, id, checked });
    return el('div', { className: 'search__option' }, box, ' ', el('label', { htmlFor: id }, label, count === null ? '' : el('span', { className: 'count' }, ` ${count}`)));
  }

  function renderFacets(r) {
    const types = idx.types.map(([id, label], i) => ({ id, label, n: r.typeCount[i] })).filter((t) => t.n > 0 || t.id === state.type);
    typeBox.replaceChildren(typeBox.firstChild, option('type', '', 'Any', null, r.type < 0, true), ...types.map((t) => option('type', t.id, t.label, t.n, t.id === state.type, true)));
    const top = [...r.actorCount.entries()].filter(([a, n]) => n > 0 && !r.want.includes(a)).sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_ACTORS);
    const chosen = r.want.map((a) => [a, r.actorCount[a]]);
    actorBox.replaceChildren(actorBox.firstChild, ...chosen.concat(top).map(([a, n]) => option('actor', idx.actors[a][0], idx.actors[a][1], n, r.want.includes(a), false)));
    actorBox.hidden = chosen.length + top.length === 0;
    if (!tagBox) return;
    const topTags = [...r.tagCount.entries()].filter(([t, n]) => n > 0 && !r.wantTags.includes(t)).sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_TAGS);
    const chosenTags = r.wantTags.map((t) => [t, r.tagCount[t]]);
    tagBox.replaceChildren(tagBox.firstChild, ...chosenTags.concat(topTags).map(([t, n]) => option('tag', idx.tags[t][0], idx.tags[t][1], n, r.wantTags.includes(t), false)));
    tagBox.hidden = chosenTags.length + topTags.length === 0;
  }

  const KIND = ['Actor', 'Briefing'];
  function hit(it) {
    const href = new URL(it.url.replace(/\/(#|$)/, `/${page}$1`), root).href;
    const meta = el('span', { className: 'search-hit__meta' }, it.kind === 2 ? idx.types[it.type][1] : KIND[it.kind]);
    if (it.kind === 2) meta.append(' · in ', el('cite', {}, it.in));
    if (it.date) meta.append(' · ', el('time', { dateTime: it.date }, it.date));
    if (it.meta) meta.append(' · ', it.meta);
    const li = el('li', { className: `search-hit search-hit--${['actor', 'briefing', 'claim'][it.kind]}` }, el('a', { href }, it.text), ' ', meta);
    if (it.summary) li.append(el('p', {}, it.summary));
    return li;
  }

  let last = null;
  function render(focusFrom) {
    const r = last;
    const n = r.results.length;
    list.replaceChildren(...r.results.slice(0, shown).map(hit));
    more.hidden = n <= shown;
    if (focusFrom !== undefined) list.children[focusFrom]?.querySelector('a').focus();
    const idle = !r.ws.length && r.type < 0 && !r.want.length && !r.wantTags.length;
    const text = idle ? `Type ${state.q.trim() ? 'another letter' : 'a word'} to search.` : `${n === 0 ? 'No' : n} result${n === 1 ? '' : 's'}${n > shown ? `, showing ${shown}` : ''}.`;
    clearTimeout(announce);
    // Announced once the reader pauses, not at every key.
    announce = setTimeout(() => { status.textContent = text; }, 400);
  }

  function update() {
    const focused = document.activeElement?.id;
    last = search();
    shown = PAGE;
    renderFacets(last);
    facets.hidden = !last.ws.length && last.type < 0 && !last.want.length && !last.wantTags.length;
    render();
    if (focused && focused.startsWith('search-') && document.activeElement !== $(focused)) $(focused)?.focus();
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.type) p.set('type', state.type);
    for (const a of state.actors) p.append('actor', a);
    for (const t of state.tags) p.append('tag', t);
    const qs = p.toString();
    try {
      history.replaceState(null, '', qs ? `?${qs}` : location.pathname);
    } catch {
      // Some browsers refuse to change the URL of a file:// page; the search still works.
    }
  }

  const typed = (e) => {
    e.preventDefault();
    state.q = input.value;
    update();
  };
  input.addEventListener('input', typed);
  form.addEventListener('submit', typed);
  facets.addEventListener('change', (e) => {
    const t = e.target;
    if (t.name === 'type') state.type = t.value;
    else if (t.name === 'tag') state.tags = t.checked ? [...state.tags, t.value] : state.tags.filter((x) => x !== t.value);
    else state.actors = t.checked ? [...state.actors, t.value] : state.actors.filter((a) => a !== t.value);
    update();
  });
  more.addEventListener('click', () => {
    const from = shown;
    shown += PAGE;
    render(from);
  });
  // Arrow keys walk from the box through the result links and back.
  form.parentNode.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...list.querySelectorAll('a')];
    const at = e.target === input ? -1 : links.indexOf(e.target);
    if (e.target !== input && at < 0) return;
    const next = at + (e.key === 'ArrowDown' ? 1 : -1);
    if (next >= links.length || (next < 0 && at < 0)) return;
    e.preventDefault();
    (next < 0 ? input : links[next]).focus();
  });

  status.textContent = 'Loading the search index…';
  const loader = document.createElement('script');
  loader.src = new URL('search-index.js', root).href;
  loader.onload = () => {
    const raw = window.SITPRESS_SEARCH_INDEX;
    if (!raw || raw.v !== 1) {
      status.textContent = 'The search index is missing or from another version of sitpress.';
      return;
    }
    idx = prepare(raw);
    update();
  };
  loader.onerror = () => {
    status.textContent = 'The search index could not be loaded.';
  };
  document.head.append(loader);
})();
