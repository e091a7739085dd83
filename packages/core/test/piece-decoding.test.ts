// A FLAC file cut into pieces between its frames (`AudioDecoder.pieces`) and decoded by several
// decoders at once gives the samples of decoding it in one stream, bit for bit, consumed in order
// whatever order the pieces finish in. Formats not worth cutting are not cut.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concatFloat32 } from '../src/codec/concat-float32';
import { BlockPool, decodePiece } from '../src/generation/decode-piece';
import { type PieceHelper, pieceBlocks } from '../src/generation/piece-blocks';
import { audioDecodeDecoder, type ByteInput, type ByteRange, type GeneratorParts } from '../src/index';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const decoder = audioDecodeDecoder();

function bytesInput(bytes: Uint8Array, readSize = 1 << 16): ByteInput {
  return {
    size: bytes.length,
    readSize,
    // A fresh copy each time: borrowed bytes must not be kept.
    read: async (offset, length) => bytes.slice(offset, offset + length),
  };
}

async function joined(blocks: AsyncIterable<{ channelData: Float32Array[] }>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const block of blocks) parts.push(block.channelData[0]!.slice());
  return concatFloat32(parts);
}

const files: [string, Uint8Array][] = [
  ['m01_tones.flac', new Uint8Array(readFileSync(repo('samples/basic/speech/m01_tones.flac')))],
  ['burst.flac', new Uint8Array(readFileSync(repo('samples/formats/burst.flac')))],
];

/** An in-thread helper that finishes each piece after `delay` ms (pieces finish out of order). */
function slowHelper(
  parts: GeneratorParts,
  bytes: Uint8Array,
  delay: number,
): PieceHelper & { pieces: number } {
  // Blocks come back through `recycle` and are reused: a reused array written too early would show.
  const pool = new BlockPool();
  const helper = {
    pieces: 0,
    recycle: (block: Float32Array) => pool.give(block),
    async decode(
      job: { path: string },
      range: ByteRange,
      sink: Parameters<PieceHelper['decode']>[2],
      signal: AbortSignal,
    ) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      await decodePiece(parts.decoder, job.path, bytesInput(bytes, 997), range, sink, pool, signal);
      helper.pieces++;
    },
  };
  return helper;
}

describe.each(files)('%s', (path, bytes) => {
  it('cuts into ranges covering the file whose blocks join to the whole stream', async () => {
    const whole = await joined(decoder.stream!(bytesInput(bytes), { path, channels: 'mono' }));
    const ranges = (await decoder.pieces!(bytesInput(bytes), { path }, 4096))!;
    expect(ranges.length).toBeGreaterThan(2);
    expect(ranges[0]!.start).toBe(0);
    expect(ranges.at(-1)!.end).toBe(bytes.length);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end);
    const pieces: Float32Array[] = [];
    for (const range of ranges)
      pieces.push(await joined(decoder.stream!(bytesInput(bytes, 333), { path, channels: 'mono', range })));
    expect(pieces.every((p) => p.length > 0)).toBe(true);
    const cat = await joined(
      (async function* () {
        for (const p of pieces) yield { channelData: [p] };
      })(),
    );
    expect(cat.length).toBe(whole.length);
    expect(Buffer.from(cat.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });

  it('decoded by this thread and two slow helpers at once, gives the same samples in order', async () => {
    const parts = { decoder } as GeneratorParts;
    const whole = await joined(decoder.stream!(bytesInput(bytes), { path, channels: 'mono' }));
    const ranges = (await decoder.pieces!(bytesInput(bytes), { path }, 2048))!;
    const helpers = [slowHelper(parts, bytes, 5), slowHelper(parts, bytes, 1)];
    const got = await joined(
      pieceBlocks(parts.decoder, path, bytes.length, bytesInput(bytes), ranges, helpers),
    );
    expect(helpers[0]!.pieces + helpers[1]!.pieces).toBeGreaterThan(0);
    expect(got.length).toBe(whole.length);
    expect(Buffer.from(got.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });

  it('decodes the pieces of a helper that fails before handing over anything in this thread', async () => {
    const parts = { decoder } as GeneratorParts;
    const whole = await joined(decoder.stream!(bytesInput(bytes), { path, channels: 'mono' }));
    const ranges = (await decoder.pieces!(bytesInput(bytes), { path }, 2048))!;
    let asked = 0;
    const gone: PieceHelper = {
      decode: async () => {
        asked++;
        throw new Error('the helper thread could not start');
      },
    };
    const got = await joined(
      pieceBlocks(parts.decoder, path, bytes.length, bytesInput(bytes), ranges, [gone]),
    );
    expect(asked).toBe(1);
    expect(Buffer.from(got.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });
});

it.each([
  ['burst.mp3', 'its frames depend on the ones before'],
  ['burst.ogg', 'its frames depend on the ones before'],
  ['burst.wav', 'PCM reads faster than its samples can be handed over'],
])('does not cut %s (%s)', async (name) => {
  const bytes = new Uint8Array(readFileSync(repo(`samples/formats/${name}`)));
  expect(await decoder.pieces!(bytesInput(bytes), { path: name }, 1024)).toBeUndefined();
});
