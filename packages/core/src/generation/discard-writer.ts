import type { EntryWriter } from '../contracts/spectrogram-cache';

/** An `EntryWriter` that keeps nothing (a file decoded only to measure its length). */
export function discardWriter(rows: number): EntryWriter {
  let frames = 0;
  return {
    get frames() {
      return frames;
    },
    append: async (values) => {
      frames += values.length / rows;
    },
    pass: async () => {},
    commit: async () => false,
    abort: async () => {},
  };
}
