/**
 * A 5x7 bitmap font for printable ASCII (32..126), drawn for this project. Each glyph is 7 rows,
 * top first; each row is one base-32 digit whose 5 bits are the pixels, leftmost = highest bit.
 */
const GLYPHS =
  '00000004444404aaa0000aavavaa4fke5u4op248j3cik8lid44400002488842842224804lel40044v4400000c48000v00000000cc' +
  '01248g0ehjlphe4c4444eeh1248vv2421he26aiv22vgu11he68guhhev124888ehhehheehhf12c0cc0cc00cc0c48248g84200v0v00' +
  '8421248eh12404eh1dlleehhvhhhuhhuhhuehggghesihhhisvgguggvvggugggehgnhhfhhhvhhhe44444e72222ichikokihggggggv' +
  'hrllhhhhhpljhhehhhhheuhhugggehhhliduhhukihfgge11uv444444hhhhhhehhhhha4hhhlllahha4ahhhhha444v1248gve88888e' +
  '0g84210e22222e4ah0000000000v842000000e1fhfggmphhu00egghe11djhhf00ehvge698s8880fhhf1eggmphhh40c444e20622ic' +
  'ggikokic44444e00qllhh00mphhh00ehhhe00uhugg00djf1100mpggg00ege1u88s889600hhhjd00hhha400hhlla00ha4ah00hhf1e' +
  '00v248v244844244444448442448008l200';
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal distance between the left edges of two characters (one blank column between). */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

const FIRST = 32;
const LAST = 126;

/** The glyph of a character the font cannot show even after folding: an empty box ("tofu"). */
export const MISSING_GLYPH = [0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111];

/** Latin letters that carry no combining mark to strip (NFD leaves them whole). */
const LATIN_FOLDS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
  ŧ: 't',
  Ŧ: 'T',
  ŋ: 'n',
  Ŋ: 'N',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u00b7': '.',
  '\u00d7': 'x',
};

/**
 * `text` in the font's characters: accented Latin letters lose their accents (é -> e, ñ -> n,
 * ß -> ss), so names in Latin scripts stay readable; anything else the font lacks becomes U+FFFD,
 * drawn as an empty box (not '?', which may be part of a name).
 */
export function toFontText(text: string): string {
  let out = '';
  for (const char of text.normalize('NFD')) {
    const code = char.codePointAt(0)!;
    if (code >= FIRST && code <= LAST) out += char;
    else if (code >= 0x300 && code <= 0x36f)
      continue; // combining accents split off by NFD
    else out += LATIN_FOLDS[char] ?? '\ufffd';
  }
  return out;
}

/** The 7 row bitmasks of `char`; characters outside printable ASCII draw as `MISSING_GLYPH`. */
export function glyphRows(char: string): number[] {
  const code = char.codePointAt(0) ?? 0;
  if (code < FIRST || code > LAST) return [...MISSING_GLYPH];
  const at = (code - FIRST) * GLYPH_HEIGHT;
  return Array.from({ length: GLYPH_HEIGHT }, (_, r) => Number.parseInt(GLYPHS[at + r]!, 32));
}

/** Pixel width of `text` (as `toFontText` turns it) at `scale` (no trailing blank column). */
export function textWidth(text: string, scale = 1): number {
  const n = [...toFontText(text)].length;
  return n === 0 ? 0 : (n * GLYPH_ADVANCE - 1) * scale;
}

/** Calls `plot(x, y)` for every lit pixel of `text` (folded by `toFontText`) with its top-left corner at (x, y). */
export function rasterizeText(
  text: string,
  x: number,
  y: number,
  plot: (px: number, py: number) => void,
  scale = 1,
): void {
  let left = x;
  for (const char of toFontText(text)) {
    const rows = glyphRows(char);
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (!((rows[r]! >> (GLYPH_WIDTH - 1 - c)) & 1)) continue;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) plot(left + c * scale + dx, y + r * scale + dy);
      }
    }
    left += GLYPH_ADVANCE * scale;
  }
}
