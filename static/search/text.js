// The search's words, as the build makes them (src/render/search/text.rs is its twin): fold
// (NFD, marks dropped, lower case, ’ as '), split into words (letters and digits, an
// apostrophe inside a word kept), drop stop words, stem with Snowball's English (Porter2)
// stemmer, ported here from the Snowball algorithm. Also the number code of the index files.
// Defines SITPRESS_TEXT (also when run under node for the test that compares it with Rust).
(function (root) {
  'use strict';
  const STOP = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'from', 'has', 'have', 'he', 'her', 'his', 'in',
    'is', 'it', 'its', 'of', 'on', 'or', 'that', 'the', 'their', 'there', 'they', 'this', 'to', 'was', 'were', 'which',
    'will', 'with']);
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/’/g, "'");
  const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
  const words = (folded) => folded.match(WORD) || [];

  // Porter2, as Snowball's english.sbl defines it.
  const EXC1 = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli',
    only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes' };
  const EXC2 = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed']);
  const isV = (c) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y';
  // The longest of `list` that `w` ends with, or ''.
  const longest = (w, list) => list.reduce((best, s) => (s.length > best.length && w.endsWith(s) ? s : best), '');
  // A short syllable ends w at `end`: non-vowel, vowel, non-vowel other than w, x, Y; or a
  // vowel then a non-vowel at the start of the word.
  function shortv(w, end) {
    if (end >= 3 && !isV(w[end - 3]) && isV(w[end - 2]) && !isV(w[end - 1]) && !'wxY'.includes(w[end - 1])) return true;
    return end === 2 && isV(w[0]) && !isV(w[1]);
  }
  const S2 = { tional: 'tion', enci: 'ence', anci: 'ance', abli: 'able', entli: 'ent', izer: 'ize', ization: 'ize', ational: 'ate', ation: 'ate',
    ator: 'ate', alism: 'al', aliti: 'al', alli: 'al', fulness: 'ful', ousli: 'ous', ousness: 'ous', iveness: 'ive', iviti: 'ive', biliti: 'ble',
    bli: 'ble', ogi: 'og', fulli: 'ful', lessli: 'less', li: '' };
  const S3 = { tional: 'tion', ational: 'ate', alize: 'al', icate: 'ic', iciti: 'ic', ical: 'ic', ful: '', ness: '', ative: '' };
  const S4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion'];
  const K2 = Object.keys(S2);
  const K3 = Object.keys(S3);

  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(EXC1, word)) return EXC1[word];
    if ([...word].length < 3) return word;
    let w = word.startsWith("'") ? word.slice(1) : word;
    // Prelude: an initial y, and a y after a vowel, are consonants (Y).
    if (w[0] === 'y') w = `Y${w.slice(1)}`;
    for (let i = 1; i < w.length; i += 1) if (w[i] === 'y' && isV(w[i - 1])) w = `${w.slice(0, i)}Y${w.slice(i + 1)}`;
    // R1 and R2: after the first non-vowel following a vowel (R1 after gener, commun, arsen).
    const after = (from) => {
      let i = from;
      while (i < w.length && !isV(w[i])) i += 1;
      while (i < w.length && isV(w[i])) i += 1;
      return Math.min(i + 1, w.length);
    };
    const pre = ['gener', 'commun', 'arsen'].find((p) => w.startsWith(p));
    const p1 = pre ? pre.length : after(0);
    const p2 = after(p1);
    const hasV = (s) => [...s].some(isV);
    // Step 1a.
    const apos = longest(w, ["'", "'s", "'s'"]);
    if (apos) w = w.slice(0, -apos.length);
    const s1a = longest(w, ['sses', 'ied', 'ies', 's', 'us', 'ss']);
    if (s1a === 'sses') w = `${w.slice(0, -4)}ss`;
    else if (s1a === 'ied' || s1a === 'ies') w = w.length - 3 > 1 ? `${w.slice(0, -3)}i` : `${w.slice(0, -3)}ie`;
    else if (s1a === 's' && hasV(w.slice(0, -2))) w = w.slice(0, -1);
    if (EXC2.has(w)) return w;
    // Step 1b.
    const s1b = longest(w, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
    if (s1b === 'eed' || s1b === 'eedly') {
      if (w.length - s1b.length >= p1) w = `${w.slice(0, -s1b.length)}ee`;
    } else if (s1b && hasV(w.slice(0, -s1b.length))) {
      w = w.slice(0, -s1b.length);
      const end = longest(w, ['at', 'bl', 'iz', 'bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);
      if (end === 'at' || end === 'bl' || end === 'iz') w += 'e';
      else if (end) w = w.slice(0, -1);
      else if (w.length === p1 && shortv(w, w.length)) w += 'e';
    }
    // Step 1c.
    const last = w[w.length - 1];
    if ((last === 'y' || last === 'Y') && w.length > 2 && !isV(w[w.length - 2])) w = `${w.slice(0, -1)}i`;
    // Step 2.
    const s2 = longest(w, K2);
    if (s2 && w.length - s2.length >= p1) {
      const stemEnd = w.length - s2.length;
      if (s2 === 'ogi') {
        if (w[stemEnd - 1] === 'l') w = `${w.slice(0, stemEnd)}og`;
      } else if (s2 === 'li') {
        if ('cdeghkmnrt'.includes(w[stemEnd - 1])) w = w.slice(0, stemEnd);
      } else w = w.slice(0, stemEnd) + S2[s2];
    }
    // Step 3.
    const s3 = longest(w, K3);
    if (s3 && w.length - s3.length >= p1) {
      if (s3 !== 'ative') w = w.slice(0, -s3.length) + S3[s3];
      else if (w.length - s3.length >= p2) w = w.slice(0, -s3.length);
    }
    // Step 4.
    const s4 = longest(w, S4);
    if (s4 && w.length - s4.length >= p2) {
      if (s4 !== 'ion') w = w.slice(0, -s4.length);
      else if ('st'.includes(w[w.length - 4]) && w.length > 3) w = w.slice(0, -3);
    }
    // Step 5.
    if (w.endsWith('e')) {
      const at = w.length - 1;
      if (at >= p2 || (at >= p1 && !shortv(w, at))) w = w.slice(0, -1);
    } else if (w.endsWith('l') && w.length - 1 >= p2 && w[w.length - 2] === 'l') w = w.slice(0, -1);
    return w.replace(/Y/g, 'y');
  }

  // The index terms of a text, as the build makes them.
  const terms = (text) => words(fold(text)).filter((x) => !STOP.has(x)).map(stem);

  // Numbers in base 32 over 64 characters: continuation digits from the upper half.
  const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  const VALUE = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i += 1) VALUE[DIGITS.charCodeAt(i)] = i;
  function nums(s) {
    const out = [];
    let v = 0;
    for (let i = 0; i < s.length; i += 1) {
      const d = VALUE[s.charCodeAt(i)];
      if (d >= 32) v = v * 32 + d - 32;
      else {
        out.push(v * 32 + d);
        v = 0;
      }
    }
    return out;
  }
  // The file name of a term prefix (file_key in text.rs).
  const fileKey = (p) => [...p].map((c) => (/^[a-z0-9]$/.test(c) ? c : `_${c.codePointAt(0).toString(16)}_`)).join('');

  root.SITPRESS_TEXT = { STOP, fold, words, stem, terms, nums, fileKey };
})(typeof window === 'undefined' ? globalThis : window);
