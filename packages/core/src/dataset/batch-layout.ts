import type { OutputConfiguration } from '../contracts/output-configuration';
import type { Batch } from '../loader/default-collate';
import { pacePromotion } from './old-space-pacer';

/** What a batch of a dataset holds: frames per window, the output configuration, meta fields. */
export interface BatchLayout {
  spgLength: number;
  output: OutputConfiguration;
  metaFields: readonly string[];
}

/** A batch of `n` items whose spectrogram, masks and labels are views of one new buffer. */
export function newBatch(layout: BatchLayout, n: number, nMels: number): Batch {
  const { spgLength, output } = layout;
  const { masks, label } = output;
  const spectrogramValues = output.spectrogram ? n * nMels * spgLength : 0;
  const floats = spectrogramValues + masks.length * n * spgLength;
  const buffer = new ArrayBuffer(4 * floats + (label !== null ? 4 * n : 0));
  pacePromotion(buffer.byteLength);
  const batch: Batch = {};
  if (output.spectrogram)
    batch.spectrogram = {
      data: new Float32Array(buffer, 0, spectrogramValues),
      shape: [n, 1, nMels, spgLength],
    };
  if (masks.length) {
    batch.masks = {};
    masks.forEach((name, k) => {
      batch.masks![name] = {
        data: new Float32Array(buffer, 4 * (spectrogramValues + k * n * spgLength), n * spgLength),
        shape: [n, spgLength],
      };
    });
  }
  if (label !== null) batch.label = new Int32Array(buffer, 4 * floats, n);
  if (output.meta.length) {
    batch.meta = {};
    for (const field of layout.metaFields) batch.meta[field] = new Array<unknown>(n);
  }
  return batch;
}

/** Whether `batch` has exactly the layout `newBatch(layout, n, nMels)` makes, so it can be written into. */
export function batchFits(layout: BatchLayout, batch: Batch, n: number, nMels: number): boolean {
  const { spgLength, output } = layout;
  const { masks, label, meta } = output;
  const s = batch.spectrogram;
  if (output.spectrogram !== (s !== undefined)) return false;
  if (
    s &&
    !(
      s.data.length === n * nMels * spgLength &&
      s.shape.length === 4 &&
      s.shape[0] === n &&
      s.shape[2] === nMels
    )
  )
    return false;
  if ((label !== null) !== (batch.label !== undefined) || (batch.label && batch.label.length !== n))
    return false;
  const batchMasks = batch.masks ? Object.keys(batch.masks) : [];
  if (batchMasks.length !== masks.length) return false;
  for (const name of masks) if (batch.masks?.[name]?.data.length !== n * spgLength) return false;
  if (meta.length === 0) return batch.meta === undefined;
  return layout.metaFields.every((field) => batch.meta?.[field]?.length === n);
}
