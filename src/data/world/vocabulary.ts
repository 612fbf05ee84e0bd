// Every word and punctuation mark the world can emit, so a tokenizer can be built from a
// closed list (a test checks that generated text never leaves it). Text is lowercase words,
// digits and the marks . , ? : separated by spaces, with marks attached to the word before.
import { worldConversation } from './conversations.js';
import { FACTS } from './knowledge.js';
import {
  BACKGROUNDS,
  CELL_NAMES,
  CELL_PHRASES,
  CELL_SYNONYMS,
  COLORS,
  NUMBER_WORDS,
  ORDINALS,
  PATTERNS,
  SHAPES,
  SHAPE_PLURALS,
  SIZES,
  UNANSWERABLE,
  WORDS,
  type WorldVersion,
} from './lexicon.js';
import { worldDocument, WORLD_SOURCE_KINDS } from './sources.js';
import { ITEMS, ITEM_PLURALS, NAMES } from './stories.js';

export const PUNCTUATION = ['.', ',', '?', ':'] as const;

/** Words of the templates (captions, questions, documents, conversations) not in any list above. */
const TEMPLATE_WORDS = `
  a above adds after all an and answer any are at away background below both can caption
  color comes describe detail do does draws fly for gets give gives has have here his her how
  in is make many minus mixes more most moves next no none now number of on only opposite or
  paint paints picture pictures plus puts question round same say says shaded shape shapes
  short shows some someone takes text than that the them then there this to what where which
  with word write writes written yes noisy plain
`;

/** Words world v2's templates add (patterns, dots, OK-VQA and VizWiz questions). */
const TEMPLATE_WORDS_V2 = `pattern dot dots animal legs fly large small`;

/** Splits world text into words and punctuation marks (the unit the vocabulary lists). */
export function splitWorldText(text: string): string[] {
  return text.match(/[a-z]+|[0-9]+|[^\sa-z0-9]/g) ?? [];
}

/**
 * Every word, digit string and punctuation mark the world's generators can emit, sorted.
 * v1's list is kept exactly (its tokenizer ids must not move); v2 adds a few words.
 */
export function worldVocabulary(version: WorldVersion = 1): string[] {
  const words = new Set<string>(PUNCTUATION);
  const addText = (t: string) => splitWorldText(t).forEach((w) => words.add(w));
  [TEMPLATE_WORDS, ...CELL_NAMES, ...CELL_PHRASES, ...Object.values(CELL_SYNONYMS)].forEach((t) => addText(t ?? ''));
  [...SHAPES, ...Object.values(SHAPE_PLURALS), ...COLORS, ...BACKGROUNDS, ...SIZES, ...WORDS].forEach(addText);
  [...NUMBER_WORDS, ...ORDINALS, ...ITEMS, ...Object.values(ITEM_PLURALS), ...NAMES.flat()].forEach(addText);
  for (let n = 0; n <= 10; n++) words.add(String(n));
  for (const f of FACTS) [f.statement, f.question, ...f.answers, ...f.distractors].forEach(addText);
  if (version === 2) [TEMPLATE_WORDS_V2, ...PATTERNS, UNANSWERABLE].forEach(addText);
  return [...words].sort();
}

/**
 * Sample text of every kind the world produces (documents of each source, conversations),
 * e.g. to fit a tokenizer's merges or check coverage. Pictures are rendered tiny: only the
 * text is used.
 */
export function* worldCorpusText(seed: number, perKind: number, version: WorldVersion = 1): Generator<string> {
  for (const kind of WORLD_SOURCE_KINDS) {
    for (let i = 0; i < perKind; i++) {
      for (const s of worldDocument(kind, seed, i, { imageSize: 8, version }).segments) if (s.kind === 'text') yield s.text;
    }
  }
  for (let i = 0; i < perKind; i++) {
    for (const t of worldConversation(seed, i, { imageSize: 8, version }).turns) {
      for (const s of t.segments) if (s.kind === 'text') yield s.text;
    }
  }
}
