import { rasterizeText } from './bitmap-font';

export type Rgb = readonly [number, number, number];

/** An RGBA8 picture in memory, row-major from the top-left; what pngjs encodes. */
export interface RasterImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createRaster(width: number, height: number, background: Rgb): RasterImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[4 * i] = background[0];
    data[4 * i + 1] = background[1];
    data[4 * i + 2] = background[2];
    data[4 * i + 3] = 255;
  }
  return { width, height, data };
}

/** Sets one pixel; points outside the picture are ignored. */
export function setPixel(image: RasterImage, x: number, y: number, color: Rgb): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const at = 4 * (y * image.width + x);
  image.data[at] = color[0];
  image.data[at + 1] = color[1];
  image.data[at + 2] = color[2];
  image.data[at + 3] = 255;
}

export function fillRect(image: RasterImage, x: number, y: number, w: number, h: number, color: Rgb): void {
  for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) setPixel(image, i, j, color);
}

export function drawText(image: RasterImage, text: string, x: number, y: number, color: Rgb): void {
  rasterizeText(text, x, y, (px, py) => setPixel(image, px, py, color));
}

export function pixelAt(image: RasterImage, x: number, y: number): [number, number, number] {
  const at = 4 * (y * image.width + x);
  return [image.data[at]!, image.data[at + 1]!, image.data[at + 2]!];
}
