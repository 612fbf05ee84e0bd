// PTB tokenisation of captions as pycocoevalcap does it: all captions joined by "\n", one run of
// CoreNLP 3.4.1 `PTBTokenizer -preserveLines -lowerCase`, then the punctuation tokens dropped.
// The captions are lexed as one stream on purpose: the reference lexes them that way, and the
// first character of the next caption decides some splits ("etc." before "The" -> "etc." ".").
//
// Measured against the Java tokenizer (CoreNLP v3.4.1 compiled from source, same inputs):
// identical output on all 1,000 captions of pycocoevalcap's example results file, 23,000 word-level
// fuzz captions (clitics, quotes, abbreviations, numbers, fractions, URLs, brackets, entities),
// 35,000 character-level fuzz strings of ASCII punctuation, and 10,000 random strings over
// Latin-1/Latin Extended, General Punctuation, math symbols and emoji. It differs on ~9% of random
// strings of other scripts (Greek, Cyrillic, Hebrew, Arabic, Devanagari, CJK): see ptb_lexer.ts.
// Deliberate difference: the reference splits lines on \r, \v, \f, U+2028 and U+2029 too, which
// shifts every later caption onto the wrong image; here those characters become spaces.
import { NEWLINE_TOKEN, PTB_RULES } from './ptb_lexer.js';
import { pyRstrip } from '../../compat/python.js';

/** Tokens pycocoevalcap removes after tokenising. "-LRB-" etc. are listed in upper case, so the
 *  lower-cased "-lrb-" "-rrb-" "-lcb-" "-rcb-" (and "-lsb-" "-rsb-") survive, as in the reference. */
export const COCO_PUNCTUATION: ReadonlySet<string> = new Set([
  "''",
  "'",
  '``',
  '`',
  '-LRB-',
  '-RRB-',
  '-LCB-',
  '-RCB-',
  '.',
  '?',
  '!',
  ',',
  ':',
  '-',
  '--',
  '...',
  ';',
]);

/** Raw PTB tokens of `text` (original case); line breaks come out as NEWLINE_TOKEN. */
export function ptbLex(text: string): string[] {
  const tokens: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    let best: { rule: (typeof PTB_RULES)[number]; text: string; total: number } | null = null;
    for (const rule of PTB_RULES) {
      for (const alt of rule.alternatives) {
        alt.lastIndex = pos;
        const m = alt.exec(text);
        if (m === null) continue;
        const total = m[0].length + (m[1]?.length ?? 0); // JFlex counts trailing context
        if (total > 0 && (best === null || total > best.total)) best = { rule, text: m[0], total };
      }
    }
    if (best === null) throw new Error(`ptbLex: no rule matched at ${pos} in ${JSON.stringify(text)}`);
    const { token, consumed } = best.rule.action(best.text);
    if (token !== null) tokens.push(token);
    pos += consumed;
  }
  return tokens;
}

/** The lines `PTBTokenizer -preserveLines -lowerCase` prints for `captions` joined by "\n". */
export function ptbTokenizeLines(captions: readonly string[]): string[] {
  const text = captions.map((c) => c.replace(/[\n\r\v\f\u2028\u2029]/g, ' ')).join('\n');
  const lines: string[][] = [[]];
  for (const token of ptbLex(text)) {
    if (token === NEWLINE_TOKEN) lines.push([]);
    else lines[lines.length - 1].push(token.toLowerCase());
  }
  return lines.map((l) => l.join(' '));
}

/** pycocoevalcap's PTBTokenizer.tokenize for a flat list of captions: one string per caption,
 *  tokens separated by single spaces, punctuation removed. */
export function cocoTokenize(captions: readonly string[]): string[] {
  return ptbTokenizeLines(captions).map((line) =>
    pyRstrip(line)
      .split(' ')
      .filter((w) => !COCO_PUNCTUATION.has(w))
      .join(' '),
  );
}
