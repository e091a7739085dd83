import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { GLYPH_ADVANCE, glyphRows, rasterizeText, textWidth, toFontText } from '../src/cli/bitmap-font';
import {
  PREVIEW_AXIS_HEIGHT,
  PREVIEW_BAND_COLORS,
  PREVIEW_BAND_GAP,
  PREVIEW_BAND_HEIGHT,
  PREVIEW_BAND_OFF,
  PREVIEW_FRAME_SCALE,
  PREVIEW_MARGIN_LEFT,
  PREVIEW_MARGIN_RIGHT,
  PREVIEW_MEL_SCALE,
  PREVIEW_TITLE_HEIGHT,
  PREVIEW_TITLE_LINE,
  previewLayout,
} from '../src/cli/preview-layout';
import { pixelAt } from '../src/cli/raster-image';
import { encodePng, fitText, niceStep, renderPreview } from '../src/cli/render-preview';
import { colormapIndex, VIRIDIS } from '../src/cli/viridis';

const picture = (rows: string[]) =>
  rows.map((r) => Number.parseInt(r.replace(/#/g, '1').replace(/\./g, '0'), 2));

describe('bitmap font', () => {
  it('draws known glyphs', () => {
    expect(glyphRows('1')).toEqual(picture(['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.']));
    expect(glyphRows('H')).toEqual(picture(['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#']));
    expect(glyphRows(' ')).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('has a distinct glyph for every printable ASCII character, and an empty box for the rest', () => {
    const seen = new Set<string>();
    for (let c = 32; c <= 126; c++) seen.add(glyphRows(String.fromCharCode(c)).join(','));
    expect(seen.size).toBe(95);
    const box = picture(['#####', '#...#', '#...#', '#...#', '#...#', '#...#', '#####']);
    expect(seen.has(box.join(','))).toBe(false);
    for (const char of ['\n', 'д', '語', '\ufffd']) expect(glyphRows(char), char).toEqual(box);
  });

  it('folds accented Latin names to readable ASCII and boxes other scripts (never "?")', () => {
    expect(toFontText('Ñúñez/élan_Ångström.wav')).toBe('Nunez/elan_Angstrom.wav');
    expect(toFontText('Straße Œuvre Łódź Ørsted')).toBe('Strasse OEuvre Lodz Orsted');
    expect(toFontText('дом 語.wav')).toBe('\ufffd\ufffd\ufffd \ufffd.wav');
    expect(textWidth('é')).toBe(textWidth('e'));
    const lit = (text: string) => {
      const points: string[] = [];
      rasterizeText(text, 0, 0, (x, y) => points.push(`${x},${y}`));
      return points;
    };
    expect(lit('café')).toEqual(lit('cafe'));
    expect(lit('ß')).toEqual(lit('ss'));
    expect(lit('д')).not.toEqual(lit('?'));
  });

  it('measures and rasterizes text left to right', () => {
    expect(textWidth('')).toBe(0);
    expect(textWidth('abc')).toBe(3 * 6 - 1);
    const lit: [number, number][] = [];
    rasterizeText('-.', 10, 20, (x, y) => lit.push([x, y]));
    // '-' is the full middle row; '.' a 2x2 block at the bottom of the second cell.
    expect(lit.slice(0, 5)).toEqual([
      [10, 23],
      [11, 23],
      [12, 23],
      [13, 23],
      [14, 23],
    ]);
    expect(lit.slice(5)).toEqual([
      [10 + GLYPH_ADVANCE + 1, 25],
      [10 + GLYPH_ADVANCE + 2, 25],
      [10 + GLYPH_ADVANCE + 1, 26],
      [10 + GLYPH_ADVANCE + 2, 26],
    ]);
  });
});

describe('viridis', () => {
  it("holds matplotlib's 256 entries from dark purple to yellow", () => {
    expect(VIRIDIS.length).toBe(768);
    expect([...VIRIDIS.slice(0, 3)]).toEqual([68, 1, 84]);
    expect([...VIRIDIS.slice(765)]).toEqual([253, 231, 37]);
    // Entry 128 of viridis is (0.127568, 0.566949, 0.550556).
    expect([...VIRIDIS.slice(384, 387)]).toEqual([33, 145, 140]);
  });

  it('gets lighter along the table (perceptual ordering; 8-bit rounding allows tiny steps back)', () => {
    const luma = (i: number) =>
      0.2126 * VIRIDIS[3 * i]! + 0.7152 * VIRIDIS[3 * i + 1]! + 0.0722 * VIRIDIS[3 * i + 2]!;
    for (let i = 4; i < 256; i++) expect(luma(i)).toBeGreaterThan(luma(i - 4));
  });

  it('maps a value range onto the 256 entries', () => {
    expect(colormapIndex(-2, -2, 6)).toBe(0);
    expect(colormapIndex(6, -2, 6)).toBe(255);
    expect(colormapIndex(2, -2, 6)).toBe(128);
    expect(colormapIndex(9, -2, 6)).toBe(255);
    expect(colormapIndex(1, 1, 1)).toBe(0);
  });
});

describe('helpers', () => {
  it('keeps the end of long text', () => {
    expect(fitText('speech/f01_tones.wav', 30)).toBe('speech/f01_tones.wav');
    expect(fitText('speech/f01_tones.wav', 12)).toBe('...tones.wav');
    expect(fitText('speech/Müller_straße.wav', 14)).toBe('...strasse.wav');
  });

  it('picks 1-2-2.5-5 steps', () => {
    expect(niceStep(300, 48)).toBe(0.2); // 100 fps x 3 px: 0.2 s = 60 px
    expect(niceStep(3, 14)).toBe(5);
    expect(niceStep(1, 1)).toBe(1);
  });
});

describe('renderPreview', () => {
  const nMels = 4;
  const frames = 10;
  const spectrogram = {
    data: Float32Array.from({ length: nMels * frames }, (_, i) => i), // bin m, frame t = m * frames + t
    shape: [nMels, frames],
  };
  const speech = [0, 0, 1, 1, 1, 0, 0, 0, 1, 1];
  const noise = [1, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const image = renderPreview({
    spectrogram,
    masks: [
      { name: 'speech', values: Float32Array.from(speech) },
      { name: 'noise', values: Float32Array.from(noise) },
    ],
    title: 'label f  speech/f01_tones.wav',
    subtitle: 'train item 0',
    startSeconds: 0.2,
    framesPerSecond: 100,
  });
  const decoded = PNG.sync.read(Buffer.from(encodePng(image)));

  it('has the documented size', () => {
    const bands = 2 * (PREVIEW_BAND_GAP + PREVIEW_BAND_HEIGHT);
    expect(decoded.width).toBe(PREVIEW_MARGIN_LEFT + frames * PREVIEW_FRAME_SCALE + PREVIEW_MARGIN_RIGHT);
    expect(decoded.height).toBe(
      PREVIEW_TITLE_HEIGHT + nMels * PREVIEW_MEL_SCALE + bands + PREVIEW_AXIS_HEIGHT,
    );
  });

  it('puts time on x and mel bin 0 at the bottom, in viridis', () => {
    const px = (t: number, m: number): number[] => {
      const x = PREVIEW_MARGIN_LEFT + t * PREVIEW_FRAME_SCALE + 1;
      const y = PREVIEW_TITLE_HEIGHT + (nMels - 1 - m) * PREVIEW_MEL_SCALE + 1;
      return [...decoded.data.subarray(4 * (y * decoded.width + x), 4 * (y * decoded.width + x) + 3)];
    };
    expect(px(0, 0)).toEqual([...VIRIDIS.slice(0, 3)]); // smallest value
    expect(px(frames - 1, nMels - 1)).toEqual([...VIRIDIS.slice(765)]); // largest value
    const mid = Math.round((15 / 39) * 255); // value 15 = bin 1, frame 5
    expect(px(5, 1)).toEqual([...VIRIDIS.slice(3 * mid, 3 * mid + 3)]);
  });

  it('draws each mask as a band, coloured where 1 and dark where 0, frame by frame', () => {
    const top = PREVIEW_TITLE_HEIGHT + nMels * PREVIEW_MEL_SCALE;
    [speech, noise].forEach((mask, k) => {
      const y0 = top + (k + 1) * PREVIEW_BAND_GAP + k * PREVIEW_BAND_HEIGHT;
      for (let t = 0; t < frames; t++) {
        const want = mask[t] ? [...PREVIEW_BAND_COLORS[k]!] : [...PREVIEW_BAND_OFF];
        for (const dy of [0, PREVIEW_BAND_HEIGHT - 1])
          for (let dx = 0; dx < PREVIEW_FRAME_SCALE; dx++)
            expect(pixelAt(image, PREVIEW_MARGIN_LEFT + t * PREVIEW_FRAME_SCALE + dx, y0 + dy)).toEqual(want);
      }
    });
  });

  it('writes the title in the title area', () => {
    let lit = 0;
    for (let y = 0; y < PREVIEW_TITLE_HEIGHT; y++)
      for (let x = 0; x < image.width; x++) if (pixelAt(image, x, y)[0] > 200) lit++;
    expect(lit).toBeGreaterThan(50);
  });
});

describe('renderPreview with a third title line (the requested meta fields)', () => {
  const input = {
    // 60 frames: wide enough that no line is cut.
    spectrogram: { data: new Float32Array(4 * 60), shape: [4, 60] },
    masks: [],
    title: 'label f  Müller/ñandú.wav',
    subtitle: 'train item 0',
    startSeconds: 0,
    framesPerSecond: 100,
  };
  const two = renderPreview(input);
  const three = renderPreview({ ...input, details: 'gender f, speaker Zoë' });

  it('is one title line taller, everything below shifted down', () => {
    expect(three.height - two.height).toBe(PREVIEW_TITLE_LINE);
    const layout = previewLayout(60, 4, 0, 3);
    expect(layout.spectrogram.y).toBe(PREVIEW_TITLE_HEIGHT + PREVIEW_TITLE_LINE);
    expect(layout.titleRows).toEqual([4, 4 + PREVIEW_TITLE_LINE, 4 + 2 * PREVIEW_TITLE_LINE]);
  });

  it('draws exactly the folded text of each line', () => {
    const layout = previewLayout(60, 4, 0, 3);
    ['label f  Muller/nandu.wav', 'train item 0', 'gender f, speaker Zoe'].forEach((text, i) => {
      const want = new Set<string>();
      rasterizeText(text, 4, layout.titleRows[i]!, (x, y) => want.add(`${x},${y}`));
      const got = new Set<string>();
      for (let y = layout.titleRows[i]!; y < layout.titleRows[i]! + 7; y++)
        for (let x = 0; x < three.width; x++) if (pixelAt(three, x, y)[0] > 200) got.add(`${x},${y}`);
      expect(got, text).toEqual(want);
    });
  });
});
