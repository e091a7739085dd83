// A small SpectrogramDataset (in-memory plugins from dataset-fakes) for the shard tests: 7 files of
// varied lengths, every window kept, a speech mask, a meta field and a label, optionally audio.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '../src/dataset/open-dataset';
import type { SpectrogramDataset } from '../src/dataset/spectrogram-dataset';
import type { Item, OutputConfiguration } from '../src/index';
import { encodeRaw, fakeSource, metadataInput, testParts, toneBursts } from './dataset-fakes';

const lengths = [24000, 12000, 4000, 30000, 9000, 17000, 20800];

export async function shardTestDataset(
  output: Partial<OutputConfiguration> = {},
): Promise<SpectrogramDataset> {
  const files: Record<string, Uint8Array> = {};
  const metadata: Record<string, unknown> = {};
  lengths.forEach((length, i) => {
    const path = `${i % 2 ? 'b' : 'a'}/file-${i}.wav`;
    const bursts: [number, number][] = [[Math.floor(length / 5), Math.floor(length / 2) + 37]];
    files[path] = encodeRaw(toneBursts(length, bursts));
    metadata[path] = {
      length,
      intervals: { speech: bursts, noise: [[0, 800]] },
      metadata: { gender: ['f', 'm', 'x'][i % 3], speaker: `s${i}`, age: 20 + i },
    };
  });
  return openDataset(
    testParts({
      source: fakeSource(files),
      metadata: metadataInput(metadata),
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0 },
      output: {
        audio: false,
        spectrogram: true,
        masks: ['speech', 'noise'],
        meta: ['speaker', 'age'],
        label: 'gender',
        ...output,
      },
    }),
  );
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `spg-${name}-`));
}

/** Bytes of every tensor, the label and meta of an item, for exact comparisons. */
export function itemFacts(item: Item): Record<string, unknown> {
  const bytes = (t: { data: Float32Array; shape: number[] } | undefined) =>
    t && {
      shape: t.shape,
      bytes: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64'),
    };
  return {
    spectrogram: bytes(item.spectrogram),
    audio: bytes(item.audio),
    masks: item.masks && Object.fromEntries(Object.entries(item.masks).map(([k, t]) => [k, bytes(t)])),
    label: item.label,
    meta: item.meta,
  };
}
