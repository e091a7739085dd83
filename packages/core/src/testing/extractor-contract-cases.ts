import { resolveMelParams } from '../config/mel-options-schema';
import type { MelOptions, MelParams } from '../contracts/mel-params';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgExtractorError } from '../errors/spg-extractor-error';
import { extractorFingerprint } from '../extractor/extractor-fingerprint';
import { fingerprint } from '../fingerprint/fingerprint';
import { check, sameBits, thrown } from './check';
import { type ExtractorCaseContext, oddFactor, whisper, whisperParams } from './extractor-case-context';
import { testSignal } from './test-signals';

/** Error code an extractor throws when used after `dispose()`. */
export const EXTRACTOR_DISPOSED = 'SPG_EXTRACTOR_DISPOSED';

/**
 * The feature extractor's contract cases: its fields, params and JSON options that recreate it; an
 * own fingerprint equal to core's; every parameter moving the fingerprint; invalid parameters
 * refused with `SpgConfigError` naming the field; use after `dispose()` refused.
 */
export function extractorContractCases(ctx: ExtractorCaseContext): void {
  const { add, create, extract, hasParams, hasFingerprint, hasDispose } = ctx;
  add('contract', 'has kind, id, numerics version and declared features', async () => {
    const extractor = await create(whisper);
    check(extractor.kind).toBe('extractor');
    check(extractor.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
    check(Number.isInteger(extractor.version) && extractor.version >= 1, 'version').toBe(true);
    const { rows, sampleRate, hopLength } = extractor.features;
    check({ rows, sampleRate, hopLength }, 'features').toEqual({
      rows: 80,
      sampleRate: 16000,
      hopLength: 160,
    });
  });

  add(
    'contract',
    'declares resolved mel params',
    async () => {
      const extractor = await create(whisper);
      check(extractor.params).toEqual(resolveMelParams(whisper));
      check(extractor.params).toEqual(whisperParams);
    },
    hasParams ? undefined : 'no params: the extractor declares no mel parameters',
  );

  add('contract', 'keeps JSON options that recreate the same extractor', async () => {
    const given: MelOptions = { ...oddFactor, fMin: 20, fMax: 3900, htk: true };
    const extractor = await create(given);
    const json = JSON.parse(JSON.stringify(extractor.options)) as MelOptions;
    check(json, 'options after a JSON round trip').toEqual(extractor.options);
    const again = await create(json);
    check(again.params, 'params').toEqual(extractor.params);
    check({ ...again.features }, 'features').toEqual({ ...extractor.features });
    check(extractorFingerprint(again), 'fingerprint').toBe(extractorFingerprint(extractor));
    const signal = testSignal(2000, 3);
    const same = sameBits((await extract(again, signal)).data, (await extract(extractor, signal)).data);
    check(same, 'output of the recreated extractor is bit-identical').toBe(true);
  });

  add(
    'contract',
    'fingerprint() is core fingerprint({ id, version, params })',
    async () => {
      const extractor = await create(whisper);
      const { id, version, params } = extractor;
      check(extractor.fingerprint!()).toBe(fingerprint({ id, version, params }));
    },
    !hasFingerprint
      ? "no fingerprint(): core's default fingerprint({ id, version, options, features }) applies"
      : !hasParams
        ? 'no params to fingerprint'
        : undefined,
  );

  add('contract', 'keeps the fingerprint when default options are spelled out', async () => {
    const extractor = await create(whisper);
    // Defaults spelled out give the same params, hence the same fingerprint.
    const explicit = await create({ ...whisper, fMin: 0, fMax: 8000, normalize: false, htk: false });
    check(extractorFingerprint(explicit)).toBe(extractorFingerprint(extractor));
  });

  const validation = 'fingerprint and validation';
  add(validation, 'moves the fingerprint with every parameter', async () => {
    const base = whisperParams;
    const changed: Record<keyof MelParams, Partial<MelParams>> = {
      sampleRate: { sampleRate: 22050 },
      nFft: { nFft: 512 },
      hopLength: { hopLength: 200 },
      nMels: { nMels: 64 },
      fMin: { fMin: 20 },
      fMax: { fMax: 7600 },
      normalize: { normalize: true },
      htk: { htk: true },
    };
    const reference = await create(base);
    // Every field of the resolved params is covered, so a new field cannot be forgotten here.
    const fields = Object.keys(reference.params ?? resolveMelParams(base)).sort();
    check(Object.keys(changed).sort(), 'parameters covered').toEqual(fields);
    const seen = new Set([extractorFingerprint(reference)]);
    for (const [field, change] of Object.entries(changed)) {
      const other = await create({ ...base, ...change });
      if (other.params)
        check(other.params[field as keyof MelParams], `params.${field}`).toEqual(
          change[field as keyof MelParams],
        );
      const print = extractorFingerprint(other);
      check(seen.has(print), `fingerprint must change with ${field}`).toBe(false);
      seen.add(print);
    }
    check(extractorFingerprint(await create(base)), 'fingerprint of equal options').toBe(
      extractorFingerprint(reference),
    );
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['sampleRate', { ...whisper, sampleRate: 0 }],
    ['sampleRate', { ...whisper, sampleRate: 16000.5 }],
    ['nFft', { ...whisper, nFft: 1 }],
    ['nFft', { ...whisper, nFft: '400' }],
    ['hopLength', { ...whisper, hopLength: 0 }],
    ['hopLength', { ...whisper, hopLength: 401 }],
    ['nMels', { ...whisper, nMels: 0 }],
    ['nMels', { ...whisper, nMels: 202 }],
    ['fMin', { ...whisper, fMin: -1 }],
    ['fMin', { ...whisper, fMin: 8000 }],
    ['fMax', { ...whisper, fMax: 8001 }],
    ['normalize', { ...whisper, normalize: 'yes' }],
    ['htk', { ...whisper, htk: 1 }],
    ['nfft', { ...whisper, nfft: 400 }],
  ];
  for (const [field, bad] of invalid) {
    add(validation, `rejects ${JSON.stringify(bad)} with SpgConfigError naming ${field}`, async () => {
      const error = await thrown(() => create(bad as MelOptions));
      check(SpgConfigError.isInstance(error), String(error)).toBe(true);
      const issues = (error as SpgConfigError).issues;
      check(
        issues.map((i) => i.path),
        'issue paths',
      ).toContain(field);
      check((error as Error).message, 'message').toContain(field);
    });
  }

  add(
    'dispose',
    'throws SpgExtractorError when used after dispose()',
    async () => {
      const extractor = await create(whisper);
      const signal = testSignal(4000);
      check((await extract(extractor, signal)).shape, 'shape before dispose').toEqual([80, 25]);
      await extractor.dispose!();
      const error = await thrown(() => extractor.extract(signal));
      check(SpgExtractorError.isInstance(error), String(error)).toBe(true);
      check((error as SpgExtractorError).code, 'code').toBe(EXTRACTOR_DISPOSED);
      // Disposing twice is harmless.
      await extractor.dispose!();
    },
    hasDispose ? undefined : 'no dispose(): the extractor holds nothing to release',
  );
}
