import { PNG } from 'pngjs';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, textWidth, toFontText } from './bitmap-font';
import {
  PREVIEW_BACKGROUND,
  PREVIEW_BAND_COLORS,
  PREVIEW_BAND_OFF,
  PREVIEW_FRAME_SCALE,
  PREVIEW_MEL_SCALE,
  PREVIEW_TEXT,
  previewLayout,
} from './preview-layout';
import { createRaster, drawText, fillRect, type RasterImage, setPixel } from './raster-image';
import { colormapIndex, VIRIDIS } from './viridis';

export interface PreviewInput {
  /** `[nMels, frames]`, mel-major (row m = mel bin m). */
  spectrogram: { data: Float32Array; shape: number[] };
  /** Drawn as bands under the spectrogram, in this order. */
  masks: { name: string; values: ArrayLike<number> }[];
  /** First title line (e.g. label and source file) and second (e.g. item, window, time). */
  title: string;
  subtitle: string;
  /** Optional third line, e.g. the requested meta fields and their values. */
  details?: string;
  /** Time of frame 0 in seconds from the start of the file, and frames per second. */
  startSeconds: number;
  framesPerSecond: number;
}

const TICK = 3;

/**
 * `text` as drawn (accents folded, see `toFontText`), cut to `max` characters keeping the end (file
 * names end in what matters).
 */
export function fitText(text: string, max: number): string {
  const chars = [...toFontText(text)];
  if (chars.length <= max) return chars.join('');
  return max <= 3 ? chars.slice(-max).join('') : `...${chars.slice(-(max - 3)).join('')}`;
}

/** The smallest step from 1-2-2.5-5 x 10^k whose ticks are at least `minPixels` apart. */
export function niceStep(pixelsPerUnit: number, minPixels: number): number {
  for (let exp = -3; exp < 9; exp++) {
    for (const base of [1, 2, 2.5, 5]) {
      const step = base * 10 ** exp;
      if (step * pixelsPerUnit >= minPixels) return Number(step.toPrecision(6));
    }
  }
  return 10 ** 9;
}

/** Seconds as a short label: 0.5, 1, 1.25. */
export function secondsLabel(seconds: number): string {
  return String(Number(seconds.toFixed(3)));
}

/**
 * Draws an item's spectrogram (viridis, time on x, mel on y with bin 0 at the bottom), one band per
 * mask under it (band colour where the mask is 1, dark where 0), tick labels in seconds and mel
 * bins, and two or three title lines. Layout: `previewLayout()` and the PREVIEW_* constants.
 */
export function renderPreview(input: PreviewInput): RasterImage {
  const [nMels, frames] = input.spectrogram.shape as [number, number];
  const lines = [input.title, input.subtitle, ...(input.details ? [input.details] : [])];
  const layout = previewLayout(frames, nMels, input.masks.length, lines.length);
  const image = createRaster(layout.width, layout.height, PREVIEW_BACKGROUND);
  const { data } = input.spectrogram;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }

  const s = layout.spectrogram;
  for (let m = 0; m < nMels; m++) {
    const top = s.y + (nMels - 1 - m) * PREVIEW_MEL_SCALE;
    for (let t = 0; t < frames; t++) {
      const c = colormapIndex(data[m * frames + t]!, low, high) * 3;
      const color = [VIRIDIS[c]!, VIRIDIS[c + 1]!, VIRIDIS[c + 2]!] as const;
      fillRect(image, s.x + t * PREVIEW_FRAME_SCALE, top, PREVIEW_FRAME_SCALE, PREVIEW_MEL_SCALE, color);
    }
  }

  input.masks.forEach((mask, k) => {
    const band = layout.bands[k]!;
    const on = PREVIEW_BAND_COLORS[k % PREVIEW_BAND_COLORS.length]!;
    for (let t = 0; t < frames; t++) {
      const color = (mask.values[t] ?? 0) >= 0.5 ? on : PREVIEW_BAND_OFF;
      fillRect(image, band.x + t * PREVIEW_FRAME_SCALE, band.y, PREVIEW_FRAME_SCALE, band.height, color);
    }
    const labelY = band.y + Math.floor((band.height - GLYPH_HEIGHT) / 2);
    drawText(image, fitText(mask.name, 10), band.x + band.width + 6, labelY, on);
  });

  // Mel axis: ticks on the left edge at bin centres, labels right-aligned.
  const melStep = Math.max(1, niceStep(PREVIEW_MEL_SCALE, 24));
  for (let m = 0; m < nMels; m += melStep) {
    const y = s.y + s.height - m * PREVIEW_MEL_SCALE - Math.ceil(PREVIEW_MEL_SCALE / 2);
    for (let i = 1; i <= TICK; i++) setPixel(image, s.x - i, y, PREVIEW_TEXT);
    const label = String(m);
    drawText(image, label, s.x - TICK - 2 - textWidth(label), y - 3, PREVIEW_TEXT);
  }
  // The mel axis title sits in the bottom-left corner, left of the first time label.
  drawText(image, 'mel', 4, layout.axisTop + TICK + 3, PREVIEW_TEXT);

  // Time axis: seconds from the start of the file.
  const pxPerSecond = input.framesPerSecond * PREVIEW_FRAME_SCALE;
  const step = niceStep(pxPerSecond, 48);
  const end = input.startSeconds + frames / input.framesPerSecond;
  const first = Math.ceil(input.startSeconds / step - 1e-9) * step;
  for (let sec = first; sec <= end + 1e-9; sec += step) {
    const x = s.x + Math.round((sec - input.startSeconds) * pxPerSecond);
    for (let i = 0; i < TICK; i++) setPixel(image, x, layout.axisTop + 1 + i, PREVIEW_TEXT);
    const label = secondsLabel(sec);
    const lx = Math.min(
      layout.width - textWidth(label) - 1,
      Math.max(0, x - Math.floor(textWidth(label) / 2)),
    );
    drawText(image, label, lx, layout.axisTop + TICK + 3, PREVIEW_TEXT);
  }
  const axisTitle = 'time (s)';
  drawText(
    image,
    axisTitle,
    s.x + Math.floor((s.width - textWidth(axisTitle)) / 2),
    layout.axisTop + TICK + 3 + GLYPH_HEIGHT + 6,
    PREVIEW_TEXT,
  );

  const maxChars = Math.floor((layout.width - 8) / GLYPH_ADVANCE);
  lines.forEach((line, i) => {
    drawText(image, fitText(line, maxChars), 4, layout.titleRows[i]!, PREVIEW_TEXT);
  });
  return image;
}

/** PNG bytes of a raster (pngjs, pure JavaScript). */
export function encodePng(image: RasterImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data.set(image.data);
  return PNG.sync.write(png);
}
