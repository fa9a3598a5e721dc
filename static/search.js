// The /search/ page. The index is in files under search-index/ (see src/render/search/mod.rs),
// each a script that calls SITPRESS_SEARCH(name, value): a script element, not fetch(), so a
// build opened from file:// searches too. Only what a query needs is loaded: the manifest and
// the word code (search/text.js) at once; the term files of the query's words, the facet
// columns with the first query that needs them (one word alone carries its own facet counts),
// and the documents of each page of results as it is shown.
// Ranking is the build's BM25F impacts summed over the query's terms; every term must match;
// the last word, while typed, matches as a prefix; "quoted phrases" are checked in the text.
// State is in the URL: ?q=…&type=<claim type>&actor=<id>…&tag=<slug>…&from=<date>&to=<date>
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
  // A theme's own search page may predate a facet: then it has no box and no facet.
  const tagBox = $('search-tags');
  const dateBox = $('search-dates');
  const list = $('search-results');
  const more = $('search-more');
  if (!script || !form) return;
  const root = new URL('.', script.src);
  // From file:// a folder URL opens a listing, not its index.html.
  const page = location.protocol === 'file:' ? 'index.html' : '';
  const PAGE = 10;
  const TOP_ACTORS = 12;
  const TOP_TAGS = 12;
  // A prefix shorter than this matches whole words only; one spanning more files than
  // MAX_PREFIX_FILES also (a few letters would otherwise load much of the index).
  const MIN_PREFIX = 3;
  const MAX_PREFIX_FILES = 8;
  // A phrase is checked in the documents' text: in every document that has its words when
  // there are at most this many, else page by page, in rank order, as results are shown.
  const PHRASE_ALL = 200;

  // Loading: each file once; a file's value arrives through SITPRESS_SEARCH.
  const loaded = new Map();
  const waiting = new Map();
  window.SITPRESS_SEARCH = (name, value) => {
    loaded.set(name, value);
    waiting.get(name)?.(value);
  };
  const scripts = new Map();
  function load(name, file) {
    if (!scripts.has(name)) {
      scripts.set(name, new Promise((resolve, reject) => {
        waiting.set(name, resolve);
        const s = document.createElement('script');
        s.src = new URL(file, root).href;
        s.onload = () => (loaded.has(name) ? resolve(loaded.get(name)) : reject(new Error(`${file} did not register ${name}`)));
        s.onerror = () => reject(new Error(`${file} could not be loaded`));
        document.head.append(s);
      }));
    }
    return scripts.get(name);
  }
  function loadText() {
    if (window.SITPRESS_TEXT) return Promise.resolve(window.SITPRESS_TEXT);
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = new URL('search/text.js', root).href;
      s.onload = () => (window.SITPRESS_TEXT ? resolve(window.SITPRESS_TEXT) : reject(new Error('search/text.js did not load')));
      s.onerror = () => reject(new Error('search/text.js could not be loaded'));
      document.head.append(s);
    });
  }

  const params = new URLSearchParams(location.search);
  const state = { q: params.get('q') || '', type: params.get('type') || '', actors: params.getAll('actor'), tags: params.getAll('tag'), from: params.get('from') || '', to: params.get('to') || '' };
  input.value = state.q;
  let T = null; // search/text.js
  let M = null; // the manifest
  let F = null; // the facet columns, decoded
  let facetsLoading = null;

  // The facet columns as arrays by document: kind, briefing (its ordinal), rolled-up actors;
  // and by briefing: day, tags.
  function decodeFacets(raw) {
    const n = M.docs;
    const kind = T.nums(raw.k);
    const days = [];
    let day = 0;
    T.nums(raw.d).forEach((z, i) => {
      const delta = z % 2 ? -(z + 1) / 2 : z / 2;
      day = i === 0 ? delta : day + delta;
      days.push(day);
    });
    const a = T.nums(raw.a);
    const t = T.nums(raw.t);
    const c = T.nums(raw.c);
    const x = T.nums(raw.x);
    // Each actor with its ancestors through parent, nearest first; a cycle stops.
    const up = M.actors.map((_, i) => {
      const out = [];
      for (let j = i; j >= 0 && !out.includes(j); j = M.actors[j][2]) out.push(j);
      return out;
    });
    const roll = (own) => [...new Set(own.flatMap((i) => up[i]))];
    const briefing = new Int32Array(n).fill(-1);
    const actors = new Array(n);
    const bActors = [];
    const bTags = [];
    let ai = 0;
    let ti = 0;
    let ci = 0;
    let xi = 0;
    let b = -1;
    for (let d = 0; d < n; d += 1) {
      if (kind[d] === 0) actors[d] = up[x[xi++]];
      else if (kind[d] === 1) {
        b += 1;
        const own = a.slice(ai + 1, ai + 1 + a[ai]);
        ai += 1 + a[ai];
        bActors[b] = own;
        bTags[b] = t.slice(ti + 1, ti + 1 + t[ti]);
        ti += 1 + t[ti];
        briefing[d] = b;
        actors[d] = roll(own);
      } else {
        briefing[d] = b;
        const mask = c[ci++];
        let own;
        if (mask > 0) own = bActors[b].filter((_, i) => mask & (2 ** i));
        else {
          own = c.slice(ci + 1, ci + 1 + c[ci]);
          ci += 1 + c[ci];
        }
        actors[d] = roll(own);
      }
    }
    return { kind, briefing, actors, days, tags: bTags };
  }
  function needFacets() {
    facetsLoading ||= load('facets', 'search-index/facets.js').then((raw) => {
      F = decodeFacets(raw);
    });
    return facetsLoading;
  }

  // The query: words (stop words dropped, stemmed), the last one a prefix while it is being
  // typed (not in a query sent with Enter or opened from a link), and quoted phrases, whose
  // words are terms too.
  function parse(q, typed) {
    const phrases = [];
    const rest = q.replace(/"([^"]*)("|$)/g, (_, p) => {
      const ws = T.words(T.fold(p));
      if (ws.length > 1) phrases.push(ws);
      return ` ${p} `;
    });
    const ws = T.words(T.fold(rest));
    const typing = typed && ws.length > 0 && /[\p{L}\p{N}]$/u.test(q) && !/"[^"]*$/.test(q.replace(/"[^"]*"/g, ''));
    const terms = [];
    let prefix = null;
    ws.forEach((w, i) => {
      if (i === ws.length - 1 && typing && w.length >= MIN_PREFIX) prefix = { word: w, stem: T.stem(w) };
      else if (!T.STOP.has(w) && w.length > 1) terms.push(T.stem(w));
    });
    const uniq = [...new Set(terms)].filter((t) => !prefix || t !== prefix.stem);
    return { terms: uniq, prefix, phrases, words: ws.filter((w) => !T.STOP.has(w)) };
  }

  // The file holding a term: its longest prefix among the manifest's keys.
  function keyOf(term) {
    let best = null;
    for (let n = 1; n <= term.length; n += 1) if (M.keySet.has(term.slice(0, n))) best = term.slice(0, n);
    return best;
  }
  const byTerm = new WeakMap();
  const shard = (key) => load(`t/${key}`, `search-index/t/${T.fileKey(key)}.js`).then((terms) => {
    if (!byTerm.has(terms)) byTerm.set(terms, new Map(terms.map((e) => [e[0], e])));
    return terms;
  });
  // A term's postings as [doc, impact, doc, impact, …].
  const decoded = new Map();
  function postings(term, p) {
    if (!decoded.has(term)) {
      const v = T.nums(p);
      for (let i = 2; i < v.length; i += 2) v[i] += v[i - 2];
      decoded.set(term, v);
    }
    return decoded.get(term);
  }

  // Documents and scores matching every term (the prefix by its best-scoring completion).
  async function candidates(qy) {
    const lists = [];
    const files = new Set();
    for (const t of qy.terms) {
      const k = keyOf(t);
      if (k === null) return [];
      files.add(k);
    }
    let prefixKeys = [];
    if (qy.prefix) {
      const k = keyOf(qy.prefix.stem);
      const w = qy.prefix.word;
      const wider = M.keys.filter((key) => key.startsWith(w) && key !== w);
      const own = keyOf(w);
      prefixKeys = [...new Set([k, own, ...(wider.length + 2 <= MAX_PREFIX_FILES ? wider : [])].filter((x) => x !== null))];
      prefixKeys.forEach((x) => files.add(x));
    }
    const got = new Map(await Promise.all([...files].map(async (k) => [k, await shard(k)])));
    for (const t of qy.terms) {
      const e = byTerm.get(got.get(keyOf(t))).get(t);
      if (e === undefined) return [];
      lists.push(postings(t, e[1]));
      qy.histogram = e[2];
    }
    if (qy.prefix) {
      const { word, stem } = qy.prefix;
      const best = new Map();
      for (const k of prefixKeys) {
        for (const [t, p] of got.get(k)) {
          if (t !== stem && !t.startsWith(word)) continue;
          const v = postings(t, p);
          for (let i = 0; i < v.length; i += 2) if (!(best.get(v[i]) >= v[i + 1])) best.set(v[i], v[i + 1]);
        }
      }
      if (!best.size) return [];
      lists.push([...best].sort((x, y) => x[0] - y[0]).flat());
    }
    if (!lists.length) return null;
    // Intersect from the shortest list, summing impacts.
    lists.sort((x, y) => x.length - y.length);
    let docs = new Map();
    for (let i = 0; i < lists[0].length; i += 2) docs.set(lists[0][i], lists[0][i + 1]);
    for (const v of lists.slice(1)) {
      const next = new Map();
      for (let i = 0; i < v.length; i += 2) {
        const s = docs.get(v[i]);
        if (s !== undefined) next.set(v[i], s + v[i + 1]);
      }
      docs = next;
    }
    return [...docs].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map((e) => e[0]);
  }

  // Documents, loaded by file of M.chunk.
  const doc = (d) => loaded.get(`d/${Math.floor(d / M.chunk)}`)?.[d % M.chunk];
  const loadDocs = (ds) => Promise.all([...new Set(ds.map((d) => Math.floor(d / M.chunk)))].map((n) => load(`d/${n}`, `search-index/d/${n}.js`)));
  const docText = (r) => (r[0] === 0 ? `${r[2]} ${r[3]}` : r[0] === 1 ? `${r[2]} ${r[4]} ${r[5]}` : `${r[3]} ${r[4]}`);
  function hasPhrases(r, phrases) {
    const text = ` ${T.words(T.fold(docText(r))).join(' ')} `;
    return phrases.every((p) => text.includes(` ${p.join(' ')} `));
  }

  const isoDay = (days) => new Date(days * 86400000).toISOString().slice(0, 10);
  const bound = (s, end) => {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(s);
    if (!m) return null;
    if (!end) return `${m[1]}-${m[2] || '01'}-${m[3] || '01'}`;
    return `${m[1]}-${m[2] || '12'}-${m[3] || '31'}`;
  };

  // A one-word query with no facet chosen: its results are its documents, and its facet
  // counts the build's (the term's histogram), so the facet columns need not be loaded.
  function counted(docs, qy) {
    // A word in no document has no histogram: nothing to count.
    const v = T.nums(qy.histogram || '');
    let i = 0;
    const typeCount = new Int32Array(M.types.length);
    const actorCount = new Int32Array(M.actors.length);
    const tagCount = new Int32Array(M.tags.length);
    const yearCount = new Map();
    for (const [count, delta] of [[typeCount, false], [actorCount, true], [tagCount, true]]) {
      let at = 0;
      for (let n = v[i++]; n > 0; n -= 1) {
        at = delta ? at + v[i++] : v[i++];
        count[at] = v[i++];
      }
    }
    for (let n = v[i++]; n > 0; n -= 1) yearCount.set(String(v[i++]), v[i++]);
    return { qy, type: -1, want: [], wantTags: [], typeCount, actorCount, tagCount, yearCount, results: docs };
  }

  // Results and each facet's counts with the other facets applied.
  function tally(docs, qy) {
    const type = M.types.findIndex((t) => t[0] === state.type);
    const want = state.actors.map((a) => M.actorIx.get(a)).filter((a) => a !== undefined);
    const wantTags = state.tags.map((t) => M.tagIx.get(t)).filter((t) => t !== undefined);
    const from = bound(state.from, false);
    const to = bound(state.to, true);
    const typeCount = new Int32Array(M.types.length);
    const actorCount = new Int32Array(M.actors.length);
    const tagCount = new Int32Array(M.tags.length);
    const yearCount = new Map();
    const results = [];
    const n = docs ? docs.length : M.docs;
    for (let h = 0; h < n; h += 1) {
      const d = docs ? docs[h] : h;
      const k = F.kind[d];
      const b = F.briefing[d];
      const tags = b >= 0 ? F.tags[b] : [];
      const day = b >= 0 ? isoDay(F.days[b]) : '';
      const actors = F.actors[d];
      const typeOk = type < 0 || k === 2 + type;
      const actorsOk = want.every((a) => actors.includes(a));
      const tagsOk = wantTags.every((t) => tags.includes(t));
      const dateOk = (!from && !to) || (day && (!from || day >= from) && (!to || day <= to));
      if (actorsOk && tagsOk && dateOk && k >= 2) typeCount[k - 2] += 1;
      if (typeOk && tagsOk && dateOk) for (const a of actors) actorCount[a] += 1;
      if (typeOk && actorsOk && dateOk) for (const t of tags) tagCount[t] += 1;
      if (typeOk && actorsOk && tagsOk && day) yearCount.set(day.slice(0, 4), (yearCount.get(day.slice(0, 4)) || 0) + 1);
      if (typeOk && actorsOk && tagsOk && dateOk) results.push(d);
    }
    return { qy, type, want, wantTags, typeCount, actorCount, tagCount, yearCount, results };
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
    const types = M.types.map(([id, label], i) => ({ id, label, n: r.typeCount[i] })).filter((t) => t.n > 0 || t.id === state.type);
    typeBox.replaceChildren(typeBox.firstChild, option('type', '', 'Any', null, r.type < 0, true), ...types.map((t) => option('type', t.id, t.label, t.n, t.id === state.type, true)));
    const top = [...r.actorCount.entries()].filter(([a, n]) => n > 0 && !r.want.includes(a)).sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_ACTORS);
    const chosen = r.want.map((a) => [a, r.actorCount[a]]);
    actorBox.replaceChildren(actorBox.firstChild, ...chosen.concat(top).map(([a, n]) => option('actor', M.actors[a][0], M.actors[a][1], n, r.want.includes(a), false)));
    actorBox.hidden = chosen.length + top.length === 0;
    if (tagBox) {
      const topTags = [...r.tagCount.entries()].filter(([t, n]) => n > 0 && !r.wantTags.includes(t)).sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_TAGS);
      const chosenTags = r.wantTags.map((t) => [t, r.tagCount[t]]);
      tagBox.replaceChildren(tagBox.firstChild, ...chosenTags.concat(topTags).map(([t, n]) => option('tag', M.tags[t][0], M.tags[t][1], n, r.wantTags.includes(t), false)));
      tagBox.hidden = chosenTags.length + topTags.length === 0;
    }
    if (dateBox) {
      // Years, newest first, each counted with the other facets; or a range typed in.
      const years = [...r.yearCount].sort((x, y) => (x[0] < y[0] ? 1 : -1));
      const year = /^\d{4}$/.test(state.from) && state.from === state.to ? state.from : '';
      const range = !year && (state.from || state.to);
      const fields = el('div', { className: 'search__range' },
        el('label', { htmlFor: 'search-from' }, 'From'), ' ', el('input', { type: 'date', id: 'search-from', name: 'from', value: range ? bound(state.from, false) || '' : '' }), ' ',
        el('label', { htmlFor: 'search-to' }, 'To'), ' ', el('input', { type: 'date', id: 'search-to', name: 'to', value: range ? bound(state.to, true) || '' : '' }));
      dateBox.replaceChildren(dateBox.firstChild, option('year', '', 'Any', null, !state.from && !state.to, true),
        ...years.map(([y, n]) => option('year', y, y, n, y === year, true)), fields);
      dateBox.hidden = years.length === 0 && !state.from && !state.to;
    }
  }

  // A text as nodes, the words matching the query marked: text nodes only, never HTML.
  const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;
  function matches(w, qy) {
    const f = T.fold(w);
    if (T.STOP.has(f)) return false;
    const s = T.stem(f);
    return qy.stems.has(s) || (qy.prefix !== null && (f.startsWith(qy.prefix.word) || s === qy.prefix.stem));
  }
  function marked(text, qy) {
    const out = [];
    let at = 0;
    for (const m of text.matchAll(WORD)) {
      if (!matches(m[0], qy)) continue;
      if (m.index > at) out.push(text.slice(at, m.index));
      out.push(el('mark', {}, m[0]));
      at = m.index + m[0].length;
    }
    if (at < text.length) out.push(text.slice(at));
    return out;
  }
  // Some 30 words of `text` around its first match, or its start.
  function excerpt(text, qy) {
    const all = [...text.matchAll(WORD)];
    const first = all.findIndex((m) => matches(m[0], qy));
    if (first < 0 && all.length <= 30) return text;
    const from = first < 0 ? 0 : Math.max(0, first - 10);
    const to = Math.min(all.length, from + 30);
    const start = from === 0 ? 0 : all[from].index;
    const end = to === all.length ? text.length : all[to - 1].index + all[to - 1][0].length;
    return `${from > 0 ? '… ' : ''}${text.slice(start, end)}${end < text.length ? ' …' : ''}`;
  }

  const KIND = ['Actor', 'Briefing'];
  const link = (pattern, id) => pattern.replace('{id}', id);
  function hit(d, qy) {
    const r = doc(d);
    const kind = r[0];
    let url;
    let title;
    let body;
    const meta = el('span', { className: 'search-hit__meta' }, kind === 2 ? M.types[r[2]][1] : KIND[kind]);
    if (kind === 0) {
      [url, title] = [link(M.urls.actor, r[1]), r[2]];
      if (r[3]) meta.append(' · also ', ...marked(r[3], qy));
    } else if (kind === 1) {
      [url, title] = [link(M.urls.briefing, r[1]), r[2]];
      meta.append(' · ', el('time', { dateTime: r[3] }, r[3]));
      const has = (text) => Array.from(text.matchAll(WORD)).some((m) => matches(m[0], qy));
      const inBody = has(r[5]);
      const inSummary = has(r[4]);
      body = !r[4] || (inBody && !inSummary) ? excerpt(r[5], qy) : r[4];
    } else {
      [url, title] = [`${link(M.urls.briefing, r[5])}#${link(M.urls.claim, r[1])}`, r[3]];
      meta.append(' · in ', el('cite', {}, r[6]), ' · ', el('time', { dateTime: r[7] }, r[7]));
      if (r[4]) body = `“${excerpt(r[4], qy)}”`;
    }
    const href = new URL(url.replace(/\/(#|$)/, `/${page}$1`), root).href;
    const li = el('li', { className: `search-hit search-hit--${['actor', 'briefing', 'claim'][kind]}` }, el('a', { href }, ...marked(title, qy)), ' ', meta);
    if (body) li.append(el('p', {}, ...marked(body, qy)));
    return li;
  }

  let last = null;
  let shown = 0;
  let announce = 0;
  let generation = 0;
  function say(text, now) {
    clearTimeout(announce);
    // Announced once the reader pauses, not at every key.
    if (now) status.textContent = text;
    else announce = setTimeout(() => { status.textContent = text; }, 400);
  }
  async function showMore(focusFrom) {
    const r = last;
    let add;
    if (r.later) {
      // The phrase checked as the documents load, a page's worth or more at a time.
      add = [];
      while (add.length < PAGE && r.next < r.results.length) {
        const batch = r.results.slice(r.next, r.next + 2 * PAGE);
        await loadDocs(batch);
        if (r !== last) return;
        r.next += batch.length;
        add.push(...batch.filter((d) => hasPhrases(doc(d), r.qy.phrases)));
      }
    } else {
      add = r.results.slice(shown, shown + PAGE);
      await loadDocs(add);
      if (r !== last) return;
      r.next = shown + add.length;
    }
    list.append(...add.map((d) => hit(d, r.qy)));
    shown += add.length;
    more.hidden = r.results.length <= r.next;
    if (focusFrom !== undefined) list.children[focusFrom]?.querySelector('a').focus();
  }

  // Whether the reader is typing into the box (the last word is then a prefix).
  let typing = false;
  async function update() {
    const mine = ++generation;
    const qy = parse(state.q, typing);
    qy.stems = new Set([...qy.terms, ...qy.words.map((w) => T.stem(w))]);
    const filtered = state.type || state.actors.length || state.tags.length || state.from || state.to;
    const searching = qy.terms.length > 0 || qy.prefix !== null;
    syncUrl();
    if (!searching && !filtered) {
      last = null;
      list.replaceChildren();
      more.hidden = true;
      facets.hidden = true;
      say(`Type ${state.q.trim() ? 'another letter' : 'a word'} to search.`);
      return;
    }
    try {
      const one = !filtered && qy.terms.length === 1 && !qy.prefix && !qy.phrases.length;
      const [docs] = await Promise.all([searching ? candidates(qy) : null, one ? null : needFacets()]);
      let found = docs;
      const later = found !== null && qy.phrases.length > 0 && found.length > PHRASE_ALL;
      if (found && qy.phrases.length && !later) {
        await loadDocs(found);
        found = found.filter((d) => hasPhrases(doc(d), qy.phrases));
      }
      if (mine !== generation) return;
      const r = one ? counted(found, qy) : tally(found, qy);
      const focused = document.activeElement?.id;
      r.later = later;
      r.next = 0;
      last = r;
      shown = 0;
      await loadDocs(r.results.slice(0, PAGE));
      if (mine !== generation) return;
      list.replaceChildren();
      await showMore();
      if (mine !== generation) return;
      renderFacets(r);
      facets.hidden = false;
      if (focused && focused.startsWith('search-') && document.activeElement !== $(focused)) $(focused)?.focus();
      const n = r.results.length;
      if (later) say(`${shown === 0 ? 'No' : shown} result${shown === 1 ? '' : 's'} with the phrase among the first ${r.next} of ${n} that have all its words; facets count all ${n}.`);
      else say(`${n === 0 ? 'No' : n} result${n === 1 ? '' : 's'}${n > shown ? `, showing ${shown}` : ''}.`);
    } catch (e) {
      if (mine === generation) say(`The search index could not be loaded (${e.message}).`, true);
    }
  }

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.type) p.set('type', state.type);
    for (const a of state.actors) p.append('actor', a);
    for (const t of state.tags) p.append('tag', t);
    if (state.from) p.set('from', state.from);
    if (state.to) p.set('to', state.to);
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
    typing = e.type === 'input';
    if (M) update();
  };
  input.addEventListener('input', typed);
  form.addEventListener('submit', typed);
  facets.addEventListener('change', (e) => {
    const t = e.target;
    if (t.name === 'type') state.type = t.value;
    else if (t.name === 'tag') state.tags = t.checked ? [...state.tags, t.value] : state.tags.filter((x) => x !== t.value);
    else if (t.name === 'actor') state.actors = t.checked ? [...state.actors, t.value] : state.actors.filter((a) => a !== t.value);
    else if (t.name === 'year') [state.from, state.to] = [t.value, t.value];
    else if (t.name === 'from' || t.name === 'to') {
      // A typed range replaces a chosen year.
      if (state.from === state.to && /^\d{4}$/.test(state.from)) [state.from, state.to] = ['', ''];
      state[t.name] = t.value;
    } else return;
    update();
  });
  more.addEventListener('click', () => showMore(shown));
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

  say('Loading the search index…', true);
  // A page opened with a facet chosen needs the facet columns: fetched beside the manifest.
  if (state.type || state.actors.length || state.tags.length || state.from || state.to) load('facets', 'search-index/facets.js').catch(() => {});
  Promise.all([loadText(), load('manifest', 'search-index/manifest.js')]).then(([text, manifest]) => {
    if (!manifest || manifest.v !== 2) {
      say('The search index is missing or from another version of sitpress.', true);
      return;
    }
    T = text;
    M = manifest;
    M.keySet = new Set(M.keys);
    M.actorIx = new Map(M.actors.map((a, i) => [a[0], i]));
    M.tagIx = new Map(M.tags.map((t, i) => [t[0], i]));
    update();
  }, (e) => say(`The search index could not be loaded (${e.message}).`, true));
})();
