import { GLYPH_HEIGHT } from './bitmap-font';

// Pixel layout of `spgdataset preview` pictures. Tests locate the spectrogram and the mask bands
// from these constants, so changing one changes the documented picture.

/** Pixels per spectrogram frame (time, x). */
export const PREVIEW_FRAME_SCALE = 3;
/** Pixels per mel bin (y); bin 0 (lowest frequency) is the bottom row of the spectrogram. */
export const PREVIEW_MEL_SCALE = 3;
/** Left margin: mel tick labels. */
export const PREVIEW_MARGIN_LEFT = 40;
/** Right margin: mask names beside their bands (names longer than 10 characters are cut). */
export const PREVIEW_MARGIN_RIGHT = 72;
/** Top: two title lines. */
export const PREVIEW_TITLE_HEIGHT = 30;
/** What each further title line adds (the third lists the requested meta fields). */
export const PREVIEW_TITLE_LINE = GLYPH_HEIGHT + 5;
/** Gap above each mask band. */
export const PREVIEW_BAND_GAP = 3;
/** Height of each mask band; one band per mask, in the order the masks were requested. */
export const PREVIEW_BAND_HEIGHT = 12;
/** Bottom: time ticks, their labels in seconds, the axis title. */
export const PREVIEW_AXIS_HEIGHT = 34;

export const PREVIEW_BACKGROUND = [20, 20, 24] as const;
export const PREVIEW_TEXT = [232, 232, 232] as const;
/** A mask band where the mask is 0. */
export const PREVIEW_BAND_OFF = [52, 52, 60] as const;
/** A mask band where the mask is 1: mask k takes colour k modulo the list. */
export const PREVIEW_BAND_COLORS = [
  [255, 140, 0],
  [0, 200, 255],
  [255, 64, 160],
  [140, 230, 40],
  [250, 220, 0],
  [170, 120, 255],
] as const;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PreviewLayout {
  width: number;
  height: number;
  /** The spectrogram: frame t covers x in [x + t * FRAME_SCALE, + FRAME_SCALE). */
  spectrogram: Rect;
  /** One per mask, top to bottom, same x extent as the spectrogram. */
  bands: Rect[];
  /** Top of the time axis (ticks and labels below it). */
  axisTop: number;
  /** Top edges of the title lines. */
  titleRows: number[];
}

/**
 * Where everything goes for a spectrogram of `frames` x `nMels` with `maskCount` masks and
 * `titleLines` (>= 2) title lines.
 */
export function previewLayout(
  frames: number,
  nMels: number,
  maskCount: number,
  titleLines = 2,
): PreviewLayout {
  const spectrogram = {
    x: PREVIEW_MARGIN_LEFT,
    y: PREVIEW_TITLE_HEIGHT + Math.max(0, titleLines - 2) * PREVIEW_TITLE_LINE,
    width: frames * PREVIEW_FRAME_SCALE,
    height: nMels * PREVIEW_MEL_SCALE,
  };
  const bands: Rect[] = [];
  let bottom = spectrogram.y + spectrogram.height;
  for (let k = 0; k < maskCount; k++) {
    bands.push({
      x: spectrogram.x,
      y: bottom + PREVIEW_BAND_GAP,
      width: spectrogram.width,
      height: PREVIEW_BAND_HEIGHT,
    });
    bottom += PREVIEW_BAND_GAP + PREVIEW_BAND_HEIGHT;
  }
  return {
    width: PREVIEW_MARGIN_LEFT + spectrogram.width + PREVIEW_MARGIN_RIGHT,
    height: bottom + PREVIEW_AXIS_HEIGHT,
    spectrogram,
    bands,
    axisTop: bottom,
    titleRows: Array.from({ length: Math.max(2, titleLines) }, (_, i) => 4 + i * PREVIEW_TITLE_LINE),
  };
}
