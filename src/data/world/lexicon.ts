// The nouns, colours and places of the synthetic world. The language is kept deliberately
// small (a few hundred words in all, see vocabulary.ts) so that a 1–5M-parameter model can
// learn it in minutes on a laptop. The generated English uses American spelling ("color",
// "gray") like VQAv2 and COCO, and the code follows it so names match what is emitted.

export const SHAPES = ['circle', 'square', 'triangle', 'star', 'cross', 'ring'] as const;
export type Shape = (typeof SHAPES)[number];

export const SHAPE_PLURALS: Record<Shape, string> = {
  circle: 'circles',
  square: 'squares',
  triangle: 'triangles',
  star: 'stars',
  cross: 'crosses',
  ring: 'rings',
};

export const COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'gray'] as const;
export type Color = (typeof COLORS)[number];

/** Saturated object colours, far apart so each stays nameable after downscaling. */
export const COLOR_RGB: Record<Color, readonly [number, number, number]> = {
  red: [220, 40, 40],
  orange: [245, 140, 20],
  yellow: [235, 200, 20],
  green: [40, 160, 60],
  blue: [40, 80, 220],
  purple: [140, 60, 180],
  pink: [240, 110, 170],
  gray: [110, 110, 110],
};

/** Backgrounds are pale tints, so saturated objects and dark text always stand out. */
export const BACKGROUNDS = ['white', 'gray', 'yellow', 'green', 'blue'] as const;
export type BackgroundColor = (typeof BACKGROUNDS)[number];

export const BACKGROUND_RGB: Record<BackgroundColor, readonly [number, number, number]> = {
  white: [245, 245, 245],
  gray: [205, 205, 205],
  yellow: [250, 240, 170],
  green: [190, 230, 190],
  blue: [190, 210, 245],
};

/** Ink of rendered words: darker than every object colour, so text never passes for a shape. */
export const TEXT_RGB = [20, 20, 20] as const;

export const SIZES = ['small', 'large'] as const;
export type Size = (typeof SIZES)[number];

/** The 3x3 grid, row-major: cell = 3 * row + column. */
export const CELL_NAMES = ['top left', 'top', 'top right', 'left', 'middle', 'right', 'bottom left', 'bottom', 'bottom right'] as const;

/** How captions place something in a cell ("a red star in the top left."). */
export const CELL_PHRASES = [
  'in the top left',
  'at the top',
  'in the top right',
  'on the left',
  'in the middle',
  'on the right',
  'in the bottom left',
  'at the bottom',
  'in the bottom right',
] as const;

/** Other answers people give for a cell name (the minority answers of a VQA item). */
export const CELL_SYNONYMS: Partial<Record<string, string>> = {
  'top left': 'upper left',
  'top right': 'upper right',
  'bottom left': 'lower left',
  'bottom right': 'lower right',
  middle: 'center',
};

/**
 * Words that may be written in a picture. All have three letters, so at low resolution a
 * reader cannot guess the word from the length of a blob: only the glyphs tell them apart.
 */
export const WORDS = [
  'cat',
  'dog',
  'sun',
  'red',
  'big',
  'top',
  'box',
  'car',
  'hat',
  'map',
  'cup',
  'fox',
  'bee',
  'owl',
  'pen',
  'key',
  'egg',
  'bus',
  'zoo',
  'toy',
] as const;

export const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'] as const;

export const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'] as const;

/**
 * Shape-colour pairs never drawn in training scenes; the held-out eval split uses only these,
 * to test whether a model composes attributes it has seen only apart. One per shape and colour.
 */
export const HELDOUT_COMBOS: readonly (readonly [Shape, Color])[] = [
  ['circle', 'purple'],
  ['square', 'orange'],
  ['triangle', 'pink'],
  ['star', 'blue'],
  ['cross', 'yellow'],
  ['ring', 'green'],
];

export function isHeldoutCombo(shape: Shape, color: Color): boolean {
  return HELDOUT_COMBOS.some(([s, c]) => s === shape && c === color);
}

// ---- World v2 (information at several scales; see docs/world.md) ----

/** The world's versions: 1 = everything readable at 32 px (kept for old runs); 2 = detail at several scales. */
export const WORLD_VERSIONS = [1, 2] as const;
export type WorldVersion = (typeof WORLD_VERSIONS)[number];
/** What new runs use. Library functions default to 1 so that old callers keep their bytes. */
export const LATEST_WORLD_VERSION: WorldVersion = 2;

/**
 * Surface patterns of v2 objects, aligned to the 128-pixel grid and mean-preserving (light
 * and dark bands around the object's colour), so after box filtering: stripes (2-pixel bands)
 * survive 64 px and vanish at 32; checks (1-pixel squares) vanish already at 64.
 */
export const PATTERNS = ['plain', 'striped', 'checkered'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** The answer to a question the picture cannot answer (VizWiz). */
export const UNANSWERABLE = 'unanswerable';
