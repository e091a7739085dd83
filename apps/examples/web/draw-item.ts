import type { Item } from '@spgdataset/core';

/** Pixels per frame / mel bin, and the band under the spectrogram per mask. */
export const SCALE = 3;
export const BAND = 12;
const maskColours: [number, number, number][] = [
  [255, 99, 71],
  [80, 200, 120],
  [90, 160, 255],
];

/** A compact perceptual ramp (viridis key points, linearly interpolated). */
const viridis: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (viridis.length - 1);
  const i = Math.min(viridis.length - 2, Math.floor(x));
  const f = x - i;
  const a = viridis[i]!;
  const b = viridis[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** Draws the spectrogram (low mel at the bottom) and one band per mask under it. */
export function drawItem(canvas: HTMLCanvasElement, item: Item): void {
  const spectrogram = item.spectrogram!;
  const [mels, frames] = spectrogram.shape as [number, number];
  const masks = Object.entries(item.masks ?? {});
  canvas.width = frames * SCALE;
  canvas.height = mels * SCALE + masks.length * BAND;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(canvas.width, canvas.height);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of spectrogram.data) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const put = (x: number, y: number, [r, g, b]: [number, number, number]) => {
    const o = (y * canvas.width + x) * 4;
    image.data[o] = r;
    image.data[o + 1] = g;
    image.data[o + 2] = b;
    image.data[o + 3] = 255;
  };
  for (let y = 0; y < mels * SCALE; y++) {
    const m = mels - 1 - Math.floor(y / SCALE);
    for (let x = 0; x < canvas.width; x++) {
      const v = spectrogram.data[m * frames + Math.floor(x / SCALE)]!;
      put(x, y, colour((v - low) / (high - low || 1)));
    }
  }
  masks.forEach(([, mask], k) => {
    const on = maskColours[k % maskColours.length]!;
    for (let y = mels * SCALE + k * BAND; y < mels * SCALE + (k + 1) * BAND; y++) {
      for (let x = 0; x < canvas.width; x++)
        put(x, y, mask.data[Math.floor(x / SCALE)]! > 0 ? on : [30, 30, 30]);
    }
  });
  context.putImageData(image, 0, 0);
}
