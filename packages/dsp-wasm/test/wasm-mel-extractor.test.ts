import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  fingerprint,
  type MelOptions,
  resolveMelParams,
  SpgConfigError,
  SpgExtractorError,
} from '@spgdataset/core';
import { DSP_ERRORS, loadDsp, wasmMelExtractor, wasmMelExtractorDefinition } from '@spgdataset/dsp-wasm';
import { describe, expect, it } from 'vitest';
import { errorStats, referenceLogMel, testSignal } from './reference-log-mel';

const wasmPath = fileURLToPath(new URL('../dist/dsp.wasm', import.meta.url));
const defaults = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 };

describe('wasmMelExtractor accuracy against an independent float64 reference', () => {
  const cases: (MelOptions & { normalize?: boolean })[] = [
    { ...defaults, normalize: false },
    { ...defaults, normalize: true },
    { sampleRate: 16000, nFft: 512, hopLength: 160, nMels: 128, normalize: false },
    { sampleRate: 22050, nFft: 1024, hopLength: 256, nMels: 80, normalize: true },
    { sampleRate: 8000, nFft: 201, hopLength: 80, nMels: 40, normalize: false }, // odd nFft
    { sampleRate: 8000, nFft: 254, hopLength: 100, nMels: 40, normalize: false }, // Bluestein (127)
    { sampleRate: 8000, nFft: 256, hopLength: 64, nMels: 32, htk: true, fMin: 30, fMax: 3000 },
  ];
  for (const options of cases) {
    for (const kind of ['noise', 'chirp', 'quiet'] as const) {
      it(`${JSON.stringify(options)} on ${kind}`, async () => {
        const extractor = await wasmMelExtractor(options);
        const x = testSignal(kind, Math.round(options.sampleRate * 0.6) + 37, options.sampleRate);
        const got = extractor.extract(x);
        const want = referenceLogMel(x, extractor.params);
        expect(got.shape).toEqual([options.nMels, Math.floor(x.length / options.hopLength)]);
        const { max, p999 } = errorStats(got.data, want);
        expect(max).toBeLessThanOrEqual(options.normalize ? 4e-4 : 1e-4);
        expect(p999).toBeLessThanOrEqual(options.normalize ? 8e-5 : 3e-5);
        extractor.dispose?.();
      });
    }
  }

  it('handles inputs just above nFft / 2 (one reflection) and refuses shorter ones with frames', async () => {
    const extractor = await wasmMelExtractor(defaults);
    for (const length of [0, 159, 201, 250, 399]) {
      const x = testSignal('noise', length, 16000, length + 1);
      const got = extractor.extract(x);
      expect(got.shape).toEqual([80, Math.floor(length / 160)]);
      expect(errorStats(got.data, referenceLogMel(x, extractor.params)).max).toBeLessThan(1e-4);
    }
    expect(() => extractor.extract(new Float32Array(200))).toThrow(/input of 200 samples/);
  });
});

describe('wasmMelExtractor contract', () => {
  it('has id, numerics version, resolved params and a fingerprint over them', async () => {
    const extractor = await wasmMelExtractor({ ...defaults, normalize: true });
    const params = resolveMelParams({ ...defaults, normalize: true });
    expect(extractor.kind).toBe('extractor');
    expect(extractor.id).toBe('dsp-wasm/log-mel');
    expect(extractor.params).toEqual(params);
    expect(extractor.options).toEqual(params);
    expect(extractor.fingerprint()).toBe(
      fingerprint({ id: 'dsp-wasm/log-mel', version: extractor.version, params }),
    );
    expect(extractor.frameCount(16000)).toBe(100);
    expect(extractor.frameCount(15999)).toBe(99);
  });

  it('is deterministic, does not mutate its input and keeps no state between calls', async () => {
    const extractor = await wasmMelExtractor({ ...defaults, normalize: true });
    const a = testSignal('chirp', 16000, 16000);
    const b = testSignal('noise', 48000, 16000);
    const copy = a.slice();
    const first = extractor.extract(a);
    extractor.extract(b);
    const again = extractor.extract(a);
    expect(a).toEqual(copy);
    expect(Buffer.from(again.data.buffer).equals(Buffer.from(first.data.buffer))).toBe(true);
    // Output is a fresh array, not a view of wasm memory.
    expect(first.data.buffer).not.toBe(again.data.buffer);
  });

  it('rejects invalid params with SpgConfigError naming the field', async () => {
    const error = await wasmMelExtractor({ ...defaults, hopLength: 401 }).catch((e: unknown) => e);
    expect(SpgConfigError.isInstance(error)).toBe(true);
    expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual(['hopLength']);
    const tooBig = await wasmMelExtractor({ ...defaults, nFft: 2 ** 21 }).catch((e: unknown) => e);
    expect((tooBig as SpgConfigError).issues.map((i) => i.path)).toEqual(['nFft']);
  });

  it('throws after dispose(), and dispose() is idempotent', async () => {
    const extractor = await wasmMelExtractor(defaults);
    extractor.dispose?.();
    extractor.dispose?.();
    const error = (() => {
      try {
        extractor.extract(new Float32Array(1600));
      } catch (e) {
        return e;
      }
    })();
    expect(SpgExtractorError.isInstance(error)).toBe(true);
    expect((error as SpgExtractorError).code).toBe('SPG_EXTRACTOR_DISPOSED');
  });

  it('frees its plan on dispose: making and disposing extractors does not grow memory', async () => {
    const warm = await wasmMelExtractor(defaults);
    warm.extract(new Float32Array(16000));
    warm.dispose?.();
    const before = warm.memoryBytes;
    for (let i = 0; i < 50; i++) {
      const extractor = await wasmMelExtractor(defaults);
      extractor.extract(new Float32Array(16000));
      extractor.dispose?.();
    }
    expect(warm.memoryBytes).toBe(before);
  });

  it('reports a failed allocation as an error code instead of trapping', async () => {
    const dsp = await loadDsp(new Uint8Array(readFileSync(wasmPath)));
    const handle = dsp.exports.plan_new(16000, 400, 160, 80, 0, 8000, 0);
    expect(dsp.exports.stream_begin(handle)).toBe(0);
    expect(dsp.exports.stream_input_ptr(handle, 1600)).not.toBe(0);
    expect(dsp.exports.stream_run(handle, 0)).toBe(0);
    // 2^32 - 1 samples cannot fit in a 4 GiB wasm memory.
    expect(dsp.exports.stream_input_ptr(handle, 0xffffffff)).toBe(0);
    expect(DSP_ERRORS[dsp.exports.last_error()]?.reason).toBe('OUT_OF_MEMORY');
    expect(dsp.exports.stream_begin(handle)).toBe(0); // the plan stays usable
    expect(dsp.exports.stream_input_ptr(handle, 16000)).not.toBe(0);
    expect(dsp.exports.stream_run(handle, 1)).toBe(0);
    expect(dsp.exports.plan_frames(handle)).toBe(100);
    expect(dsp.exports.plan_free(handle)).toBe(0);
  });

  it('has one message per error code the module reports', async () => {
    const dsp = await loadDsp();
    const count = dsp.exports.error_code_count();
    expect(Object.keys(DSP_ERRORS).map(Number)).toEqual(Array.from({ length: count }, (_, i) => i));
    for (const entry of Object.values(DSP_ERRORS)) expect(entry.reason).toMatch(/^[A-Z_]+$/);
  });

  it('the registry definition validates options and creates the extractor', async () => {
    expect(wasmMelExtractorDefinition.id).toBe('dsp-wasm/log-mel');
    expect(wasmMelExtractorDefinition.kind).toBe('extractor');
    const result = await wasmMelExtractorDefinition.schema['~standard'].validate({ ...defaults, nMels: 0 });
    const path = result.issues?.[0]?.path?.[0];
    expect(typeof path === 'object' ? path.key : path).toBe('nMels');
    const extractor = await wasmMelExtractorDefinition.create(defaults);
    expect(extractor.id).toBe('dsp-wasm/log-mel');
  });
});

describe('long input', () => {
  it('takes one hour of 16 kHz audio in one call within 2x input + output bytes of wasm memory', async () => {
    // Explicit bytes: a module of its own, so the memory measured is this call's alone.
    const extractor = await wasmMelExtractor({
      ...defaults,
      normalize: true,
      wasm: new Uint8Array(readFileSync(wasmPath)),
    });
    const hour = new Float32Array(3600 * 16000);
    const second = testSignal('chirp', 16000, 16000);
    for (let offset = 0; offset < hour.length; offset += second.length) hour.set(second, offset);
    const { data, shape } = extractor.extract(hour);
    expect(shape).toEqual([80, 360000]);
    // Every second is the same chirp: frame 100 k + 50 equals frame 50 away from the edges.
    expect(data[3 * 360000 + 100 * 2000 + 50]).toBe(data[3 * 360000 + 50]);
    const io = hour.byteLength + data.byteLength;
    console.log(
      `one hour in one call: wasm memory ${(extractor.memoryBytes / 2 ** 20).toFixed(0)} MiB = ` +
        `${(extractor.memoryBytes / io).toFixed(2)}x input + output (${(io / 2 ** 20).toFixed(0)} MiB)`,
    );
    expect(extractor.memoryBytes).toBeLessThanOrEqual(2 * io);
    extractor.dispose?.();
  });
});

describe('loading dsp.wasm', () => {
  it('was built from the Rust crate into dist/', () => {
    // "\0asm" magic and version 1.
    expect([...readFileSync(wasmPath).subarray(0, 8)]).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
  });

  it('accepts explicit bytes, a compiled module and a file: URL, with equal results', async () => {
    const bytes = new Uint8Array(readFileSync(wasmPath));
    const module = await WebAssembly.compile(bytes);
    const x = testSignal('chirp', 8000, 16000);
    const outputs = [];
    for (const wasm of [undefined, bytes, module, new URL('../dist/dsp.wasm', import.meta.url)]) {
      const extractor = await wasmMelExtractor({ ...defaults, wasm });
      outputs.push(extractor.extract(x).data);
    }
    for (const out of outputs.slice(1)) expect(out).toEqual(outputs[0]);
  });

  it('instantiates once per module: extractors share one instance', async () => {
    const bytes = new Uint8Array(readFileSync(wasmPath));
    expect(await loadDsp(bytes)).toBe(await loadDsp(bytes));
    expect(await loadDsp()).toBe(await loadDsp());
  });

  it('works in worker threads, one instance each, with the same output as the main thread', async () => {
    const { Worker } = await import('node:worker_threads');
    const entry = fileURLToPath(new URL('../dist/node.cjs', import.meta.url));
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { wasmMelExtractor } = require(${JSON.stringify(entry)});
      wasmMelExtractor(workerData.params).then((e) => parentPort.postMessage(e.extract(workerData.signal).data));
    `;
    const signal = testSignal('noise', 16000, 16000, 5);
    const params = { ...defaults, normalize: true };
    const run = () =>
      new Promise<Float32Array>((resolve, reject) => {
        const worker = new Worker(code, { eval: true, workerData: { params, signal } });
        worker.once('message', (data: Float32Array) => {
          resolve(data);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    const [a, b] = await Promise.all([run(), run()]);
    const main = (await wasmMelExtractor(params)).extract(signal).data;
    expect(a).toEqual(main);
    expect(b).toEqual(main);
  });

  it('browser entry: without a served dsp.wasm (here a file: URL it cannot fetch) it compiles the embedded copy', async () => {
    const dist = new URL('../dist/', import.meta.url);
    const embedded: { default: string } = await import(new URL('dsp-wasm-embedded.js', dist).href);
    expect(Buffer.from(embedded.default, 'base64').equals(readFileSync(wasmPath))).toBe(true);
    const browser: typeof import('@spgdataset/dsp-wasm') = await import(new URL('index.js', dist).href);
    const x = testSignal('chirp', 8000, 16000);
    const fromEmbedded = (await browser.wasmMelExtractor(defaults)).extract(x).data;
    expect(fromEmbedded).toEqual((await wasmMelExtractor(defaults)).extract(x).data);
  });

  it('refuses a module that speaks another ABI', async () => {
    // (module (func (export "abi_version") (result i32) i32.const 1))
    const old = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 15, 1, 11, 97, 98, 105, 95, 118,
      101, 114, 115, 105, 111, 110, 0, 0, 10, 6, 1, 4, 0, 65, 1, 11,
    ]);
    await expect(wasmMelExtractor({ ...defaults, wasm: old })).rejects.toThrow(/ABI 1, this glue expects 5/);
  });
});

describe('wasmMelExtractor streams reuse memory', () => {
  it('a stream after a finished one reuses its frames array; two open streams never share one', async () => {
    const extractor = await wasmMelExtractor(defaults);
    const signal = testSignal('chirp', 48_000, 16000);
    const run = (stream: ReturnType<NonNullable<typeof extractor.stream>>) => {
      const frames = stream.push(signal);
      const copy = frames.slice();
      stream.end();
      stream.finish();
      return { frames, copy };
    };
    const first = run(extractor.stream!());
    const second = run(extractor.stream!());
    expect(second.frames.buffer).toBe(first.frames.buffer);
    expect(second.copy).toEqual(first.copy);
    const a = extractor.stream!();
    const b = extractor.stream!();
    const fromA = a.push(signal);
    const fromB = b.push(signal);
    expect(fromB.buffer).not.toBe(fromA.buffer);
    expect(fromA).toEqual(first.copy);
    expect(fromB).toEqual(first.copy);
    extractor.dispose?.();
  });
});
