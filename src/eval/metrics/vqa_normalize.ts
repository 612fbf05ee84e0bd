// Answer normalisation of the official VQA evaluation (GT-Vision-Lab/VQA vqaEval.py at a013f00),
// reproduced with its quirks, because VQA accuracy is an exact string match after it:
// - a punctuation mark p is deleted if the ORIGINAL text contains "p " or " p", or contains a
//   digit,comma,digit anywhere; otherwise every p becomes a space;
// - periods not followed by a digit are deleted, at most 32 of them (the reference passes
//   re.UNICODE, = 32, as the `count` argument of re.sub);
// - the period regex's look-behind is mistyped as `(?!<=\d)`, so "1." loses its period too;
// - apostrophes and colons are kept; \d means ASCII digits (the reference is Python 2 code).

import { pySplit } from '../../compat/python.js';

const PUNCTUATION = [';', '/', '[', ']', '"', '{', '}', '(', ')', '=', '+', '\\', '_', '-', '>', '<', '@', '`', ',', '?', '!'];
const DIGIT_COMMA_DIGIT = /[0-9],[0-9]/;
const PERIOD_NOT_BEFORE_DIGIT = /\.(?![0-9])/g;
const MAX_PERIODS_STRIPPED = 32;

const NUMBER_WORDS = new Map(
  ['none', 'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].map((w, i) => [w, String(Math.max(0, i - 1))]),
);
const ARTICLES = new Set(['a', 'an', 'the']);

/** Contractions written without apostrophes, mapped back (the reference's table; entries with
 *  capitals can never match after lower-casing, and "somebody'd" maps the other way round). */
const CONTRACTIONS = new Map<string, string>(
  (
    "aint:ain't arent:aren't cant:can't couldve:could've couldnt:couldn't couldn'tve:couldn't've couldnt've:couldn't've " +
    "didnt:didn't doesnt:doesn't dont:don't hadnt:hadn't hadnt've:hadn't've hadn'tve:hadn't've hasnt:hasn't havent:haven't " +
    "hed:he'd hed've:he'd've he'dve:he'd've hes:he's howd:how'd howll:how'll hows:how's Id've:I'd've I'dve:I'd've Im:I'm " +
    "Ive:I've isnt:isn't itd:it'd itd've:it'd've it'dve:it'd've itll:it'll let's:let's maam:ma'am mightnt:mightn't " +
    "mightnt've:mightn't've mightn'tve:mightn't've mightve:might've mustnt:mustn't mustve:must've neednt:needn't notve:not've " +
    "oclock:o'clock oughtnt:oughtn't ow's'at:'ow's'at 'ows'at:'ow's'at 'ow'sat:'ow's'at shant:shan't shed've:she'd've " +
    "she'dve:she'd've she's:she's shouldve:should've shouldnt:shouldn't shouldnt've:shouldn't've shouldn'tve:shouldn't've " +
    "somebody'd:somebodyd somebodyd've:somebody'd've somebody'dve:somebody'd've somebodyll:somebody'll somebodys:somebody's " +
    "someoned:someone'd someoned've:someone'd've someone'dve:someone'd've someonell:someone'll someones:someone's " +
    "somethingd:something'd somethingd've:something'd've something'dve:something'd've somethingll:something'll thats:that's " +
    "thered:there'd thered've:there'd've there'dve:there'd've therere:there're theres:there's theyd:they'd theyd've:they'd've " +
    "they'dve:they'd've theyll:they'll theyre:they're theyve:they've twas:'twas wasnt:wasn't wed've:we'd've we'dve:we'd've " +
    "weve:we've werent:weren't whatll:what'll whatre:what're whats:what's whatve:what've whens:when's whered:where'd " +
    "wheres:where's whereve:where've whod:who'd whod've:who'd've who'dve:who'd've wholl:who'll whos:who's whove:who've " +
    "whyll:why'll whyre:why're whys:why's wont:won't wouldve:would've wouldnt:wouldn't wouldnt've:wouldn't've " +
    "wouldn'tve:wouldn't've yall:y'all yall'll:y'all'll y'allll:y'all'll yall'd've:y'all'd've y'alld've:y'all'd've " +
    "y'all'dve:y'all'd've youd:you'd youd've:you'd've you'dve:you'd've youll:you'll youre:you're youve:you've"
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

export function vqaProcessPunctuation(text: string): string {
  let out = text;
  const digitComma = DIGIT_COMMA_DIGIT.test(text);
  for (const p of PUNCTUATION) {
    const deleteIt = text.includes(`${p} `) || text.includes(` ${p}`) || digitComma;
    out = out.split(p).join(deleteIt ? '' : ' ');
  }
  let stripped = 0;
  return out.replace(PERIOD_NOT_BEFORE_DIGIT, (m) => (stripped++ < MAX_PERIODS_STRIPPED ? '' : m));
}

export function vqaProcessDigitArticle(text: string): string {
  const words = pySplit(text.toLowerCase())
    .map((w) => NUMBER_WORDS.get(w) ?? w)
    .filter((w) => !ARTICLES.has(w));
  return words.map((w) => CONTRACTIONS.get(w) ?? w).join(' ');
}

/** Both steps, in the reference's order. */
export const vqaNormalizeAnswer = (text: string): string => vqaProcessDigitArticle(vqaProcessPunctuation(text));
