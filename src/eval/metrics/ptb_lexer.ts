// A TypeScript re-implementation of the token rules of Stanford CoreNLP 3.4.1's PTBLexer
// (the JFlex lexer behind `PTBTokenizer -preserveLines -lowerCase`, which pycocoevalcap runs
// through Java). Hand-written because no JS library reproduces that tokenizer, and every
// caption metric is computed on its output. Options reproduced: the 3.4.1 defaults plus
// tokenizeNLs (ptb3Escaping on, americanize off, splitAssimilations on, traditional Treebank-3).
//
// How it matches JFlex: at each position every rule is tried; the longest match wins, counting
// the trailing context (`a/b` in JFlex) in the length; ties go to the earlier rule. Literal
// letters are case-insensitive (`%caseless`), letters inside [...] are not, exactly as in JFlex.
// Known differences (see ptb_tokenizer.ts for the measured agreement):
// - Unicode classes use JS property escapes (\p{L}, \p{M}, \p{Nd}, \p{Lu}); JFlex baked in the
//   Unicode tables of its JDK and added a hand list of marks; exotic scripts may differ.
// - JS regexes pick the first, not always the longest, way through an alternation; rules where
//   that matters list their alternatives separately and the longest is taken.

export type LexAction = (text: string) => { token: string | null; consumed: number };
export interface LexRule {
  name: string;
  alternatives: RegExp[];
  action: LexAction;
}

/** Turns letters outside [...] into [xX], as JFlex `%caseless` treats them. */
function caseless(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      const len = n === 'u' ? 6 : n === 'x' ? 4 : n === 'p' || n === 'P' ? src.indexOf('}', i) - i + 1 : 2;
      out += src.slice(i, i + len);
      i += len - 1;
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++; // `[^]` and a leading `]`
      for (; src[j] !== ']'; j++) if (src[j] === '\\') j++;
      out += src.slice(i, j + 1);
      i = j;
    } else if (c === '(' && src[i + 1] === '?') {
      out += src.slice(i, i + 3);
      i += 2;
    } else if (c === '{') {
      const j = src.indexOf('}', i);
      out += src.slice(i, j + 1);
      i = j;
    } else if (c.toLowerCase() !== c.toUpperCase()) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else out += c;
  }
  return out;
}
/** r1 with optional trailing context r2; the context length is captured in group 1. */
const re = (r1: string, r2?: string): RegExp => new RegExp(`(?:${caseless(r1)})${r2 === undefined ? '' : `(?=(${caseless(r2)}))`}`, 'uy');

// ---- character classes and macros (names follow PTBLexer.flex) ----
const SPACE = '[ \\t\\u00A0\\u2000-\\u200A\\u3000]';
const NEWLINE = '(?:\\r?\\n|\\r|\\u2028|\\u2029|\\u000B|\\u000C|\\u0085)';
const SPACENL = `(?:${SPACE}|${NEWLINE})`;
const SGML_NAME = '[A-Za-z][A-Za-z0-9_:.\\-]*';
const SGML = `<(?:[!?][A-Za-z\\-][^>\\r\\n]*|${SGML_NAME}(?:[ ]+(?:${SGML_NAME}[ ]*=[ ]*(?:'[^']*'|"[^"]*")|${SGML_NAME}))*[ ]*\\/?` + `|\\/${SGML_NAME})[ ]*>`;
const SENTEND = `${SPACENL}(?:${SPACENL}|\\p{Lu}|${SGML})`;
const DIGIT = '[\\p{Nd}\\u07C0-\\u07C9]';
const NUM = `(?:${DIGIT}*(?:[.:,\\u00AD\\u066B\\u066C]${DIGIT}+)+|${DIGIT}+)`;
const LETTER = '(?:[\\p{L}\\p{M}\\u00AD]|&[aeiouAEIOU](?:acute|grave|uml))';
const LD = '[\\p{L}\\p{Nd}]'; // JFlex [:letter:]|[:digit:]
const WORD = `${LETTER}(?:${LETTER}|${DIGIT})*(?:[.!?]${LETTER}(?:${LETTER}|${DIGIT})*)*`;
const APOS = "(?:['\\u0092\\u2019]|&apos;)";
const APOSETC = `(?:${APOS}|[\`\\u0091\\u2018\\u201B])`;
const HYPHEN = '[\\-_\\u058A\\u2010\\u2011]';
const ACRO_SPECIAL = '(?:Canada|Sino|Korean|EU|Japan|non)-U\\.S|U\\.S\\.-(?:U\\.K|U\\.S\\.S\\.R)';
const ACRO2 = `(?:[A-Za-z](?:\\.[A-Za-z])+|${ACRO_SPECIAL})`;
const THING_PART = `(?:[dDoOlL]${APOSETC}${LD})?${LD}+`;
const THING = `${THING_PART}(?:${HYPHEN}${THING_PART})*`;
const SPAMP = '&amp;';
const THINGA = `[A-Z]+(?:(?:[+&]|${SPAMP})[A-Z]+)+`;
const HTHING = `[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(?:-(?:${ACRO2}\\.|[A-Za-z0-9\\u00AD]+))+`;
const REDAUX = `${APOS}(?:[msdMSD]|re|ve|ll)`;
const SWORD = '[A-Za-z\\u00AD]*[A-MO-Za-mo-z]\\u00AD*';
const SREDAUX = `n${APOSETC}t`;
const INSENTP = '[,;:\\u3001]';
const FILE_EXT = 'docx|class|html|java|jpeg|bat|bmp|cgi|cpp|dll|doc|exe|gif|htm|jar|jpg|mov|mp3|pdf|php|png|ppt|sql|tar|txt|wav|xml|zip|gz|pl|ps|py|c|h|x';
const ABMONTH = 'Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const ABDAYS = 'Thurs|Tues|Mon|Tue|Wed|Thu|Fri';
const ABSTATE =
  'Calif|Conn|Kans?|Minn|Mont|Okla|Penn|Tenn|Wisc?|Ariz|Colo|Mich|Wyo|Ala|Dak|[D]el|Fla|[I]ll|Ind|Neb|Nev|[O]re|[T]ex|[W]ash|[M]ass|[M]iss|[A]z|[A]rk|Ct|Ga|Ky|[L]a|Md|Mo|[P]a|Va|Vt';
const ABCOMP = 'Bancorp|Univ|Assn|Intl|Corp|Cos?|Inc|Pp?t[ye]s?|Ltd|Plc|Rt|Bhd|Sys';
const ABPTIT = '(?:Ed|Ph)\\.D|Blvd|Bros|Esq|Jr|Sr|Rd';
const ABBREV1 = `(?:${ABMONTH}|${ABDAYS}|${ABSTATE}|${ABCOMP}|tel|est|ext|sq|${ABPTIT}|etc|al|seq|Bldg)\\.`;
const ACRO_ALTS = ['[A-Za-z](?:\\.[A-Za-z])*', ACRO_SPECIAL];
const ABTITLE =
  'Messrs|Lieut|Capt|Brig|Supts?|Mlle|Msgr|Pres|Profs?|Attys?|Sens?|Reps?|Govs?|Asst|Assoc|Insp|Mme|Adm|Rev|Maj|Sgt|Cpl|Pvt|Ave|Hon|Co?mdr|Pfc|Spc|Det|Adj|Adv|Ens|Sfc|Mrs|Mr|Ms|[M]iss|Drs?|Lt|Col|Gen|Ste?|Mt|Ft';
const ABBREV4_ALTS = [ABTITLE, 'vs|Alex|Wm|Jos|Cie|a\\.k\\.a|cf|TREAS|Ph', ...ACRO_ALTS, 'Invt|Elec|Natl|M[ft]g|Dept'];
const SENT_START_WORDS = [
  '[A]bout',
  '[A]ccording',
  '[A]dditionally',
  '[A]fter',
  '[A]n',
  '[A]',
  '[A]s',
  '[A]t',
  '[B]ut',
  '[E]arlier',
  '[H]e',
  '[H]er',
  '[H]ere',
  '[H]owever',
  '[I]f',
  '[I]n',
  '[I]t',
  '[L]ast',
  '[M]any',
  '[M]ore',
  '[M]r\\.',
  '[M]s\\.',
  '[N]ow',
  '[O]nce',
  '[O]ne',
  '[O]ther',
  '[O]ur',
  '[S]he',
  '[S]ince',
  '[S]o',
  '[S]ome',
  '[S]uch',
  '[T]hat',
  '[T]he',
  '[T]heir',
  '[T]hen',
  '[T]here',
  '[T]hese',
  '[T]hey',
  '[T]his',
  '[W]e',
  '[W]hen',
  '[W]hile',
  '[W]hat',
  '[Y]et',
  '[Y]ou',
  SGML,
].sort((a, b) => b.length - a.length); // longest first: the context is tried in order
const PHONE_ALTS = [
  '(?:\\([0-9]{2,3}\\)[ \\u00A0]?|(?:\\+\\+?)?(?:[0-9]{2,4}[\\- \\u00A0])?[0-9]{2,4}[\\- \\u00A0])[0-9]{3,4}[\\- \\u00A0]?[0-9]{3,5}',
  '(?:(?:\\+\\+?)?[0-9]{2,4}\\.)?[0-9]{2,4}\\.[0-9]{3,4}\\.[0-9]{3,5}',
];
const URL_PATH = '(?:\\/[^ \\t\\n\\f\\r"<>|()]+[^ \\t\\n\\f\\r"<>|.!?(){},\\-])?';
const LIKELYURL_ALTS = [
  `www\\.(?:[^ \\t\\n\\f\\r"<>|.!?(){},]+\\.)+[a-zA-Z]{2,4}${URL_PATH}`,
  // `,-_` is a character range in the original too (it excludes digits and capitals)
  `(?:[^ \\t\\n\\f\\r"\`'<>|.!?(){},-_$]+\\.)+(?:com|net|org|edu)${URL_PATH}`,
];
const EMAIL = '(?:&lt;|<)?[a-zA-Z0-9][^ \\t\\n\\f\\r"<>|()\\u00A0{}]*@(?:[^ \\t\\n\\f\\r"<>|(){}.\\u00A0]+\\.)*[^ \\t\\n\\f\\r"<>|(){}.\\u00A0]+(?:&gt;|>)?';
const MISCSYMBOL =
  '[+%&~\\^|\\\\\\u00A6\\u00A7\\u00A8\\u00A9\\u00AC\\u00AE\\u00AF\\u00B0-\\u00BA\\u00D7\\u00F7\\u0387\\u05BE\\u05C0\\u05C3' +
  '\\u05C6\\u05F3\\u05F4\\u0600-\\u0603\\u0606-\\u060A\\u060C\\u0614\\u061B\\u061E\\u066A\\u066D\\u0703-\\u070D\\u07F6-\\u07F8' +
  '\\u0964\\u0965\\u0E4F\\u1FBD\\u2016\\u2017\\u2020-\\u2023\\u2030-\\u2038\\u203B\\u203E-\\u2042\\u2044\\u207A-\\u207F' +
  '\\u208A-\\u208E\\u2100-\\u214F\\u2190-\\u21FF\\u2200-\\u2BFF\\u3012\\u30FB\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65]';

// ---- token rewriting used by the actions ----
export const NEWLINE_TOKEN = '*NL*';
const removeSoftHyphens = (s: string): string => (s.includes('\u00AD') ? s.replace(/\u00AD/g, '') || '-' : s);
const normalizeAmp = (s: string): string => s.replace(/&amp;/gi, '&');
const parens = (s: string): string => s.replace(/\(/g, '-LRB-').replace(/\)/g, '-RRB-');
/** ptb3Escaping's LaTeX-style quotes: `` and '' for double, ` and ' for single. */
function latexQuotes(s: string, probablyLeft: boolean): string {
  return s
    .replace(/&apos;|'/g, probablyLeft ? '`' : "'")
    .replace(/"|&quot;/g, probablyLeft ? '``' : "''")
    .replace(/[\u0091\u2018\u201B\u2039]/g, '`')
    .replace(/[\u0092\u2019\u203A]/g, "'")
    .replace(/[\u0093\u201C\u00AB]/g, '``')
    .replace(/[\u0094\u201D\u00BB]/g, "''");
}
const FRACTIONS: Record<string, string> = { '\u00BC': '1/4', '\u00BD': '1/2', '\u00BE': '3/4', '\u2153': '1/3', '\u2154': '2/3' };

// ---- actions ----
const emit =
  (f: (t: string) => string = (t) => t): LexAction =>
  (t) => ({ token: f(t), consumed: t.length });
const skip: LexAction = (t) => ({ token: null, consumed: t.length });
/** Returns the first n chars as the token and lexes the rest again (JFlex yypushback). */
const keepFirst =
  (drop: number): LexAction =>
  (t) => ({ token: t.slice(0, t.length - drop), consumed: t.length - drop });
/** Returns the whole text and lexes its final period again ("etc." then "."). */
const periodTwice: LexAction = (t) => ({ token: t, consumed: t.length - 1 });
const spacesToNbsp = (t: string): string => t.replace(/ /g, '\u00A0');

const rule = (name: string, action: LexAction, r1: string | string[], r2?: string): LexRule => ({
  name,
  action,
  alternatives: (Array.isArray(r1) ? r1 : [r1]).map((a) => re(a, r2)),
});

/** The rules in PTBLexer.flex order (order breaks ties between equally long matches). */
export const PTB_RULES: LexRule[] = [
  rule('c++', emit(), 'c\\+\\+'),
  rule('c#', emit(), '(?:c|f)#'),
  rule('cannot', keepFirst(3), 'cannot'),
  rule("'twas", keepFirst(3), "'twas"),
  rule("'tis", keepFirst(2), "'tis"),
  rule('gonna', keepFirst(2), 'gonna|gotta|lemme|gimme|wanna'),
  rule('SGML', emit(spacesToNbsp), SGML),
  rule(
    'SPMDASH',
    emit(() => '--'),
    '&(?:MD|mdash|ndash);|[\\u0096\\u0097\\u2013\\u2014\\u2015]',
  ),
  rule('SPAMP', emit(normalizeAmp), SPAMP),
  rule('SPPUNC', emit(), '&(?:HT|TL|UR|LR|QC|QL|QR|odq|cdq|#[0-9]+);'),
  rule('WORD/REDAUX', emit(removeSoftHyphens), WORD, REDAUX),
  rule('SWORD/SREDAUX', emit(removeSoftHyphens), SWORD, SREDAUX),
  rule('WORD', emit(removeSoftHyphens), WORD),
  rule('APOWORD', emit(), [
    `${APOS}n${APOS}?`,
    `[lLdDjJ]${APOS}`,
    `Dunkin${APOS}`,
    `somethin${APOS}`,
    `ol${APOS}`,
    `${APOS}em`,
    `[A-HJ-XZn]${APOSETC}\\p{L}{2}\\p{L}*`,
    `${APOS}[2-9]0s`,
    `${APOS}till?`,
    `\\p{L}\\p{L}*[aeiouyAEIOUY]${APOSETC}[aeiouA-Z]\\p{L}*`,
    `${APOS}cause`,
    "cont'd\\.?",
    "'twas",
    "nor'easter",
    "c'mon",
    "e'er",
    "s'mores",
    "ev'ry",
    "li'l",
    "nat'l",
    `O${APOSETC}o`,
  ]),
  rule('APOWORD2', emit(), `y${APOS}`, '\\p{L}'),
  rule('FULLURL', emit(), 'https?:\\/\\/[^ \\t\\n\\f\\r"<>|(){}]+[^ \\t\\n\\f\\r"<>|.!?(){},\\-]'),
  rule('LIKELYURL', emit(), LIKELYURL_ALTS),
  rule('EMAIL', emit(), EMAIL),
  rule('TWITTER', emit(), [`@[a-zA-Z_][a-zA-Z_0-9]*`, `#${LETTER}+`]),
  rule(
    'REDAUX/',
    emit((t) => latexQuotes(t, false)),
    REDAUX,
    '[^A-Za-z]',
  ),
  rule(
    'SREDAUX/',
    emit((t) => latexQuotes(t, false)),
    SREDAUX,
    '[^A-Za-z]',
  ),
  rule('DATE', emit(), `${DIGIT}{1,2}[\\-\\/]${DIGIT}{1,2}[\\-\\/]${DIGIT}{2,4}`),
  rule('NUMBER', emit(removeSoftHyphens), `[\\-+]?${NUM}`),
  rule('SUBSUPNUM', emit(), '[\\u207A\\u207B\\u208A\\u208B]?(?:[\\u2070\\u00B9\\u00B2\\u00B3\\u2074-\\u2079]+|[\\u2080-\\u2089]+)'),
  rule('FRAC', emit(spacesToNbsp), `(?:${DIGIT}{1,4}[\\- \\u00A0])?${DIGIT}{1,4}(?:\\\\?\\/|\\u2044)${DIGIT}{1,4}`),
  rule(
    'FRAC2',
    emit((t) => FRACTIONS[t] ?? t),
    '[\\u00BC\\u00BD\\u00BE\\u2153-\\u215E]',
  ),
  rule('TBSPEC', emit(normalizeAmp), [
    '-(?:RRB|LRB|RCB|LCB|RSB|LSB)-',
    'C\\.D\\.s',
    'pro-',
    'anti-',
    `S(?:&|${SPAMP})P-500`,
    `S(?:&|${SPAMP})Ls`,
    `Cap${APOS}n`,
    `c${APOS}est`,
  ]),
  rule('THING3', emit(), '[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\\\?\\/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}'),
  rule('DOLSIGN', emit(), '[A-Z]*\\$|#'),
  rule(
    'DOLSIGN2',
    emit((t) =>
      t
        .replace(/\u00A2/g, 'cents')
        .replace(/\u00A3/g, '#')
        .replace(/[\u0080\u00A4\u20A0\u20AC]/g, '$'),
    ),
    '[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1\\uFFE5\\uFFE6]',
  ),
  // An acronym before a typical sentence opener ends the sentence: "I." -> "I" "."; "U.S." -> "U.S." "."
  rule(
    'ACRONYM/',
    (t) => (t.length === 2 ? keepFirst(1)(t) : periodTwice(t)),
    ACRO_ALTS.map((a) => `(?:${a})\\.`),
    `${SPACENL}+(?:${SENT_START_WORDS.join('|')})${SPACENL}`,
  ),
  rule('ABBREV3/', emit(), '(?:ca|figs?|prop|nos?|art|bldg|pp|op)\\.', `${SPACENL}?\\p{Nd}`),
  rule('pty.', emit(), '(?:pt[eyEY]|co)\\.', `${SPACE}(?:ltd|lim)`),
  rule('ABBREV1/SENTEND', periodTwice, ABBREV1, SENTEND),
  rule('ABBREV1/..', emit(), ABBREV1, '[^][^]'),
  rule('ABBREV1', periodTwice, ABBREV1),
  rule(
    'ABBREV2',
    emit(),
    ABBREV4_ALTS.map((a) => `(?:${a})\\.`),
  ),
  rule('ABBREV4/', emit(), ABBREV4_ALTS, SPACE),
  rule('ACRO/', emit(), ACRO_ALTS, SPACENL),
  rule('TBSPEC2/', emit(), `${APOS}[0-9][0-9]`, SPACENL),
  rule('FILENAME/', emit(), `(?:${LETTER}|${DIGIT})+(?:\\.(?:${LETTER}|${DIGIT})+)*\\.(?:${FILE_EXT})`, `${SPACENL}|[.?!,]`),
  rule('WORD./', emit(removeSoftHyphens), `${WORD}\\.`, INSENTP),
  rule(
    'PHONE',
    emit((t) => parens(spacesToNbsp(t))),
    PHONE_ALTS,
  ),
  rule(
    'DBLQUOT/',
    emit((t) => latexQuotes(t, true)),
    '"|&quot;',
    '[A-Za-z0-9$]',
  ),
  rule(
    'DBLQUOT',
    emit((t) => latexQuotes(t, false)),
    '"|&quot;',
  ),
  rule('DEL', skip, '\\x7f'),
  rule(
    'LESSTHAN',
    emit(() => '<'),
    '<|&lt;',
  ),
  rule(
    'GREATERTHAN',
    emit(() => '>'),
    '>|&gt;',
  ),
  rule('SMILEY/', emit(parens), "[<>]?[:;=][\\-o*']?[()DPdpO\\\\{@|\\[\\]]", '[^A-Za-z0-9]'),
  rule('ASIANSMILEY', emit(parens), [
    '[\\^x=~<>]\\.\\[\\^x=~<>\\]',
    "[\\-\\^x=~<>']_[\\-\\^x=~<>']",
    "\\([\\-\\^x=~<>'][_.]?[\\-\\^x=~<>']\\)",
    "\\([\\^x=~<>']-[\\^x=~<>'`]\\)",
  ]),
  rule(
    '{',
    emit(() => '-LCB-'),
    '\\{',
  ),
  rule(
    '}',
    emit(() => '-RCB-'),
    '\\}',
  ),
  rule(
    '[',
    emit(() => '-LSB-'),
    '\\[',
  ),
  rule(
    ']',
    emit(() => '-RSB-'),
    '\\]',
  ),
  rule(
    '(',
    emit(() => '-LRB-'),
    '\\(',
  ),
  rule(
    ')',
    emit(() => '-RRB-'),
    '\\)',
  ),
  rule(
    'HYPHENS',
    emit((t) => (t.length >= 3 && t.length <= 4 ? '--' : t)),
    '-+',
  ),
  rule(
    'LDOTS',
    emit(() => '...'),
    ['\\.{3,5}', '(?:\\.[ \\u00A0]){2,4}\\.', '[\\u0085\\u2026]'],
  ),
  rule('FNMARKS', emit(), '@+|#+|_+'),
  rule('ASTS', emit(), ['\\*+', '(?:\\\\\\*){1,3}']),
  rule('INSENTP', emit(), INSENTP),
  rule('?!', emit(), '[?!]+'),
  rule('.', emit(), '[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA\\u3002]'),
  rule('=', emit(), '='),
  rule('/', emit(), '\\/'),
  rule('HTHING./', emit(removeSoftHyphens), `${HTHING}\\.`, INSENTP),
  rule('HTHING', emit(removeSoftHyphens), HTHING),
  rule('THING./', emit(), `${THING}\\.`, INSENTP),
  rule('THING', emit(), THING),
  rule('THINGA./', emit(normalizeAmp), `${THINGA}\\.`, INSENTP),
  rule('THINGA', emit(normalizeAmp), THINGA),
  rule(
    "'/",
    emit((t) => latexQuotes(t, true)),
    "'",
    '[A-Za-z][^ \\t\\n\\r\\u00A0]',
  ),
  rule(
    'REDAUX',
    emit((t) => latexQuotes(t, false)),
    REDAUX,
  ),
  rule(
    'SREDAUX',
    emit((t) => latexQuotes(t, false)),
    SREDAUX,
  ),
  rule(
    'QUOTES',
    emit((t) => latexQuotes(t, false)),
    [APOS, "''", '[`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092\\u0093\\u0094\\u201E\\u201F\\u2039\\u203A\\u00AB\\u00BB]{1,2}'],
  ),
  rule('FAKEDUCKFEET', emit(), '<<|>>'),
  rule('MISCSYMBOL', emit(), MISCSYMBOL),
  rule('SPACES', skip, `\\x00|${SPACE}+|[\\u200B\\u200E\\u200F\\uFEFF]`),
  rule(
    'NEWLINE',
    emit(() => NEWLINE_TOKEN),
    NEWLINE,
  ),
  rule('&nbsp;', skip, '&nbsp;'),
  rule('untokenizable', skip, '[^\\n]'), // CoreNLP deletes (and logs) characters no rule accepts
];
