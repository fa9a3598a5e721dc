// Runs static/search/text.js (the browser's stemmer) on words read from stdin, one a line,
// and prints each word's stems, one line each, for tests/it/search.rs to compare with the
// build's (rust-stemmers).
//
//   node tests/browser/stem.mjs < words.txt

import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

const context = {};
runInNewContext(readFileSync(new URL('../../static/search/text.js', import.meta.url), 'utf8'), context);
const T = context.SITPRESS_TEXT;
const input = readFileSync(0, 'utf8');
const out = input.split('\n').map((line) => T.words(T.fold(line)).map(T.stem).join(' '));
process.stdout.write(out.join('\n'));
