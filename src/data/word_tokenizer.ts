// A word-level tokenizer for a closed vocabulary (the synthetic world's words), written
// as a standard Hugging Face tokenizer.json: WordLevel model, Lowercase normaliser,
// whitespace split then punctuation isolated. One token per word keeps tiny models
// tiny and makes every token of a caption a meaningful unit.

import { MM1_SPECIAL_TOKENS, newHfTokenizer, tokenizerFromJson, type Mm1Tokenizer, type TokenizerFile } from './tokenizer.js';

/** ASCII punctuation the pre-tokenizer isolates; added to the vocabulary by default. */
export const DEFAULT_PUNCTUATION = ['.', ',', '?', '!', ':', ';', "'", '"', '(', ')', '-', '/'];

export interface WordTokenizerOptions {
  /** Add DEFAULT_PUNCTUATION to the vocabulary (default true). */
  punctuation?: boolean;
}

/**
 * Build the tokenizer.json content for `words`. Ids: the 10 special tokens first in
 * MM1_SPECIAL_TOKENS order (<pad> = 0), then punctuation, then the words in the given order
 * (lower-cased, duplicates removed). Throws if a word would not survive pre-tokenisation
 * as one piece (e.g. contains a space or punctuation).
 */
export function buildWordTokenizerJson(words: readonly string[], options: WordTokenizerOptions = {}): TokenizerFile {
  const specials = Object.values(MM1_SPECIAL_TOKENS);
  const entries: string[] = [...specials, ...(options.punctuation === false ? [] : DEFAULT_PUNCTUATION)];
  const seen = new Set(entries);
  for (const w of words) {
    const word = w.toLowerCase();
    if (!seen.has(word)) {
      seen.add(word);
      entries.push(word);
    }
  }
  const vocab: Record<string, number> = {};
  entries.forEach((token, id) => (vocab[token] = id));
  const json: TokenizerFile = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Punctuation', behavior: 'Isolated' }],
    },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: MM1_SPECIAL_TOKENS.unk },
  };
  checkWordsSurvivePreTokenizer(json, entries.slice(specials.length));
  return json;
}

function checkWordsSurvivePreTokenizer(json: TokenizerFile, words: string[]): void {
  const preTokenize = newHfTokenizer(json, { unk_token: MM1_SPECIAL_TOKENS.unk }).pre_tokenizer;
  for (const word of words) {
    const pieces = preTokenize ? preTokenize(word) : [word];
    if (pieces.length !== 1 || pieces[0] !== word) {
      throw new Error(
        `buildWordTokenizer: vocabulary entry ${JSON.stringify(word)} splits into ${JSON.stringify(pieces)} ` +
          `(whitespace and punctuation separate tokens), so it could never be produced. ` +
          `Fix: list the pieces as separate words.`,
      );
    }
  }
}

/** Word-level Mm1Tokenizer for `words` (see buildWordTokenizerJson). */
export function wordTokenizer(words: readonly string[], options: WordTokenizerOptions = {}): Mm1Tokenizer {
  return tokenizerFromJson(buildWordTokenizerJson(words, options), {}, 'word tokenizer');
}
