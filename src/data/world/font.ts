// A hand-drawn 5x7 capital font (after the classic HD44780 character ROM). Hand-written
// because a font file would have to be shipped and rasterised, and the hash tests need the
// same pixels on every platform. Only the letters matter: the world writes short words.

const ROWS: Record<string, string> = {
  a: '.###. #...# #...# ##### #...# #...# #...#',
  b: '####. #...# #...# ####. #...# #...# ####.',
  c: '.###. #...# #.... #.... #.... #...# .###.',
  d: '###.. #..#. #...# #...# #...# #..#. ###..',
  e: '##### #.... #.... ####. #.... #.... #####',
  f: '##### #.... #.... ####. #.... #.... #....',
  g: '.###. #...# #.... #.### #...# #...# .####',
  h: '#...# #...# #...# ##### #...# #...# #...#',
  i: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  j: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  k: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  l: '#.... #.... #.... #.... #.... #.... #####',
  m: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  n: '#...# #...# ##..# #.#.# #..## #...# #...#',
  o: '.###. #...# #...# #...# #...# #...# .###.',
  p: '####. #...# #...# ####. #.... #.... #....',
  q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  r: '####. #...# #...# ####. #.#.. #..#. #...#',
  s: '.#### #.... #.... .###. ....# ....# ####.',
  t: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  u: '#...# #...# #...# #...# #...# #...# .###.',
  v: '#...# #...# #...# #...# #...# .#.#. ..#..',
  w: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  x: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  z: '##### ....# ...#. ..#.. .#... #.... #####',
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal distance from one glyph to the next (one blank column between). */
export const GLYPH_ADVANCE = 6;

/** The lit cells [column, row] of a word's glyphs laid out left to right, in glyph pixels. */
export function wordPixels(word: string): [number, number][] {
  const lit: [number, number][] = [];
  for (let k = 0; k < word.length; k++) {
    const rows = ROWS[word[k]];
    if (!rows) throw new Error(`font: no glyph for "${word[k]}" in word "${word}"; the font has a–z only`);
    rows.split(' ').forEach((row, r) => {
      for (let c = 0; c < GLYPH_WIDTH; c++) if (row[c] === '#') lit.push([k * GLYPH_ADVANCE + c, r]);
    });
  }
  return lit;
}
