import { colormapIndex, VIRIDIS } from '../../cli/viridis';

/** Mask band colours, in the order of the masks (the CLI preview's). */
export const BAND_COLORS: [number, number, number][] = [
  [255, 99, 71],
  [80, 200, 120],
  [90, 160, 255],
  [255, 176, 0],
  [199, 125, 255],
];
/** The colour of an annotation: requested masks first, in their order, then the other names. */
export function annotationColor(
  name: string,
  masks: readonly string[],
  names: readonly string[],
): [number, number, number] {
  const others = names.filter((n) => !masks.includes(n));
  const k = masks.includes(name) ? masks.indexOf(name) : masks.length + Math.max(0, others.indexOf(name));
  return BAND_COLORS[k % BAND_COLORS.length]!;
}
export const BAND_OFF: [number, number, number] = [52, 52, 60];
const BACKGROUND = '#141418';
const TEXT = '#9a9aa6';

/** Where things are on the canvas, in canvas pixels. */
export interface PlotLayout {
  left: number;
  top: number;
  /** Pixels per frame and per mel bin. */
  frameWidth: number;
  melHeight: number;
  frames: number;
  nMels: number;
  plotWidth: number;
  plotHeight: number;
  bands: { name: string; top: number; height: number; color: [number, number, number] }[];
  width: number;
  height: number;
}

const BAND_HEIGHT = 14;
const BAND_GAP = 4;
const AXIS = 24;

export function plotLayout(frames: number, nMels: number, masks: string[]): PlotLayout {
  const frameWidth = Math.max(1, Math.floor(800 / frames));
  const melHeight = Math.max(1, Math.floor(260 / nMels));
  const left = 64;
  const top = 8;
  const plotWidth = frames * frameWidth;
  const plotHeight = nMels * melHeight;
  let y = top + plotHeight + AXIS;
  const bands = masks.map((name, k) => {
    const band = { name, top: y, height: BAND_HEIGHT, color: BAND_COLORS[k % BAND_COLORS.length]! };
    // masks arrive in the output configuration's order, so band k has the k-th colour
    y += BAND_HEIGHT + BAND_GAP;
    return band;
  });
  return {
    left,
    top,
    frameWidth,
    melHeight,
    frames,
    nMels,
    plotWidth,
    plotHeight,
    bands,
    width: left + plotWidth + 16,
    height: y + 4,
  };
}

// Slaney's mel scale (librosa's default), to label mel bins in Hz.
const F_SP = 200 / 3;
const LOG_STEP = Math.log(6.4) / 27;
const hzToMel = (hz: number) => (hz < 1000 ? hz / F_SP : 15 + Math.log(hz / 1000) / LOG_STEP);
const melToHz = (mel: number) => (mel < 15 ? mel * F_SP : 1000 * Math.exp(LOG_STEP * (mel - 15)));

/** Centre frequency of each mel bin (filters spread from 0 Hz to sampleRate / 2). */
export function melCentres(nMels: number, sampleRate: number): number[] {
  const top = hzToMel(sampleRate / 2);
  return Array.from({ length: nMels }, (_, m) => melToHz((top * (m + 1)) / (nMels + 1)));
}

/** The smallest 1-2-2.5-5 x 10^k step whose ticks are at least `minPixels` apart. */
export function niceStep(pixelsPerUnit: number, minPixels: number): number {
  for (let exp = -3; exp < 9; exp++)
    for (const base of [1, 2, 2.5, 5]) {
      const step = base * 10 ** exp;
      if (step * pixelsPerUnit >= minPixels) return Number(step.toPrecision(6));
    }
  return 10 ** 9;
}

export interface PlotInput {
  data: Float32Array;
  shape: [number, number];
  masks: Record<string, ArrayLike<number>>;
  sampleRate: number;
  hopLength: number;
  /** Seconds of frame 0 from the start of the file. */
  startSeconds: number;
}

/**
 * Draws the spectrogram (viridis over the item's range; mel bin 0 at the bottom; time in seconds
 * of the file below) and under it one band per mask: the mask's colour on frames where it is set
 * (>= 0.5), dark elsewhere. Returns the layout (also written to the canvas's data attributes).
 */
export function drawSpectrogram(canvas: HTMLCanvasElement, input: PlotInput): PlotLayout {
  const [nMels, frames] = input.shape;
  const names = Object.keys(input.masks);
  const layout = plotLayout(frames, nMels, names);
  canvas.width = layout.width;
  canvas.height = layout.height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, layout.width, layout.height);

  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of input.data) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const image = ctx.createImageData(layout.plotWidth, layout.plotHeight);
  const pixels = image.data;
  for (let m = 0; m < nMels; m++) {
    const row0 = (nMels - 1 - m) * layout.melHeight;
    for (let t = 0; t < frames; t++) {
      const c = colormapIndex(input.data[m * frames + t]!, low, high) * 3;
      for (let dy = 0; dy < layout.melHeight; dy++) {
        let o = ((row0 + dy) * layout.plotWidth + t * layout.frameWidth) * 4;
        for (let dx = 0; dx < layout.frameWidth; dx++, o += 4) {
          pixels[o] = VIRIDIS[c]!;
          pixels[o + 1] = VIRIDIS[c + 1]!;
          pixels[o + 2] = VIRIDIS[c + 2]!;
          pixels[o + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(image, layout.left, layout.top);

  // Bands: one colour per frame, whole pixels, so each frame's columns read back exactly.
  for (const band of layout.bands) {
    const mask = input.masks[band.name]!;
    for (let t = 0; t < frames; t++) {
      const [r, g, b] = mask[t]! >= 0.5 ? band.color : BAND_OFF;
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(layout.left + t * layout.frameWidth, band.top, layout.frameWidth, band.height);
    }
    ctx.fillStyle = TEXT;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(band.name, layout.left - 6, band.top + band.height / 2);
  }

  // Time axis (seconds in the file).
  ctx.strokeStyle = '#55555f';
  ctx.fillStyle = TEXT;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  const framesPerSecond = input.sampleRate / input.hopLength;
  const pxPerSecond = layout.frameWidth * framesPerSecond;
  const step = niceStep(pxPerSecond, 70);
  const axisY = layout.top + layout.plotHeight;
  const first = Math.ceil(input.startSeconds / step - 1e-9) * step;
  const end = input.startSeconds + frames / framesPerSecond;
  for (let s = first; s <= end + 1e-9; s += step) {
    const x = Math.round(layout.left + (s - input.startSeconds) * pxPerSecond) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, axisY);
    ctx.lineTo(x, axisY + 4);
    ctx.stroke();
    ctx.fillText(`${Number(s.toFixed(3))}`, x, axisY + 6);
  }
  ctx.textAlign = 'left';
  ctx.fillText('s', layout.left + layout.plotWidth + 4, axisY + 6);

  // Mel axis: bins nearest to round frequencies, labelled in Hz.
  const centres = melCentres(nMels, input.sampleRate);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  let lastY = Number.POSITIVE_INFINITY;
  for (const hz of [0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000]) {
    if (hz > input.sampleRate / 2) break;
    let best = 0;
    for (let m = 1; m < nMels; m++) if (Math.abs(centres[m]! - hz) < Math.abs(centres[best]! - hz)) best = m;
    const y = layout.top + (nMels - 1 - best) * layout.melHeight + layout.melHeight / 2;
    if (lastY - y < 14) continue;
    lastY = y;
    ctx.beginPath();
    ctx.moveTo(layout.left - 4, Math.round(y) + 0.5);
    ctx.lineTo(layout.left, Math.round(y) + 0.5);
    ctx.stroke();
    ctx.fillText(hz >= 1000 ? `${hz / 1000}k` : `${hz}`, layout.left - 6, y);
  }
  ctx.save();
  ctx.translate(12, layout.top + layout.plotHeight / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(`mel bin (Hz), ${nMels} bins`, 0, 0);
  ctx.restore();

  const d = canvas.dataset;
  d.plotLeft = String(layout.left);
  d.plotTop = String(layout.top);
  d.frameWidth = String(layout.frameWidth);
  d.frames = String(frames);
  d.plotHeight = String(layout.plotHeight);
  d.bands = JSON.stringify(layout.bands);
  return layout;
}
