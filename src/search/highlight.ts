import { fold, WORD } from './text-query';

/** A matched word: `start` and `length` in UTF-16 code units of the string it refers to (JavaScript string indices). */
export interface TextMatch {
  start: number;
  length: number;
}

export interface Snippet {
  /** An excerpt of the description, cut at word boundaries, as plain text (never HTML). */
  text: string;
  /** Where `text` starts in the full description. */
  offset: number;
  matches: TextMatch[];
}

const SNIPPET_LENGTH = 240;
const SNIPPET_BEFORE = 60;

/** Shortest stem that may highlight a word on its own (shorter ones only match whole words). */
const MIN_PREFIX = 3;

/** Where a word written together in camel case is split into words (as catalogue_camel_case_words does). */
const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

/**
 * Every word of `text` whose folded form starts with one of the stems (or equals a short stem); in a
 * word written together in camel case that does not match whole, the parts that do
 * ("Population" in "ZzPopulationRegistry", which the search found through the word `population`).
 */
export function findMatches(text: string, stems: string[]): TextMatch[] {
  if (!text || !stems.length) return [];
  const matches = (word: string) => {
    const folded = fold(word);
    return stems.some((s) => (s.length >= MIN_PREFIX ? folded.startsWith(s) : folded === s));
  };
  const out: TextMatch[] = [];
  for (const m of text.matchAll(WORD)) {
    if (matches(m[0])) {
      out.push({ start: m.index!, length: m[0].length });
      continue;
    }
    let at = m.index!;
    for (const part of m[0].split(CAMEL_BOUNDARY)) {
      if (part.length < m[0].length && matches(part)) out.push({ start: at, length: part.length });
      at += part.length;
    }
  }
  return out;
}

/** An excerpt around the first match (or the start), with the matches inside it. */
export function snippetOf(text: string, stems: string[]): Snippet | null {
  if (!text) return null;
  const all = findMatches(text, stems);
  let from = 0;
  if (all.length && all[0].start > SNIPPET_BEFORE) {
    from = all[0].start - SNIPPET_BEFORE;
    // Start at a word: the one under `from` if it began at most 20 characters before (or the text did),
    // else the next one, never past the first match.
    const space = text.lastIndexOf(' ', from);
    if (from - space < 20) from = space + 1;
    else if (text[from - 1] !== ' ') from = Math.min(text.indexOf(' ', from) + 1 || all[0].start, all[0].start);
  }
  let to = Math.min(text.length, from + SNIPPET_LENGTH);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from + SNIPPET_LENGTH / 2) to = space;
  }
  // Never cut a surrogate pair in two.
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from])) from--;
  if (to < text.length && /[\uD800-\uDBFF]/.test(text[to - 1])) to++;
  return {
    text: text.slice(from, to),
    offset: from,
    matches: all.filter((m) => m.start >= from && m.start + m.length <= to).map((m) => ({ start: m.start - from, length: m.length })),
  };
}
