import * as v from 'valibot';
import type { MelOptions, MelParams } from '../contracts/mel-params';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';

const positiveInteger = v.pipe(
  v.number(),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
);

/** Schema of the log-mel options every extractor accepts (shared so all extractors agree). */
export const melOptionsSchema = v.strictObject({
  sampleRate: positiveInteger,
  nFft: v.pipe(positiveInteger, v.minValue(2, 'must be at least 2')),
  hopLength: positiveInteger,
  nMels: positiveInteger,
  fMin: v.optional(v.pipe(v.number(), v.minValue(0, 'must be >= 0'))),
  fMax: v.optional(v.pipe(v.number(), v.minValue(0, 'must be >= 0'))),
  normalize: v.optional(v.boolean()),
  htk: v.optional(v.boolean()),
});

/**
 * Validates user options and fills the defaults (fMin 0, fMax sampleRate / 2, normalize false,
 * htk false). Throws one `SpgConfigError` naming every bad field.
 */
export function resolveMelParams(options: MelOptions | Record<string, unknown>): MelParams {
  const parsed = v.safeParse(melOptionsSchema, options);
  if (!parsed.success) {
    throw new SpgConfigError(
      parsed.issues.map((i) => ({
        path: v.getDotPath(i) ?? '',
        message: `${i.message} (got ${JSON.stringify(i.input)})`,
      })),
    );
  }
  const o = parsed.output;
  const params: MelParams = {
    sampleRate: o.sampleRate,
    nFft: o.nFft,
    hopLength: o.hopLength,
    nMels: o.nMels,
    fMin: o.fMin ?? 0,
    fMax: o.fMax ?? o.sampleRate / 2,
    normalize: o.normalize ?? false,
    htk: o.htk ?? false,
  };
  const issues: ConfigIssue[] = [];
  const nyquist = params.sampleRate / 2;
  if (params.fMax > nyquist)
    issues.push({ path: 'fMax', message: `must be <= sampleRate / 2 = ${nyquist} (got ${params.fMax})` });
  if (params.fMin >= params.fMax)
    issues.push({ path: 'fMin', message: `must be below fMax = ${params.fMax} (got ${params.fMin})` });
  if (params.hopLength > params.nFft)
    issues.push({ path: 'hopLength', message: `must be <= nFft = ${params.nFft} (got ${params.hopLength})` });
  const bins = Math.floor(params.nFft / 2) + 1;
  if (params.nMels > bins)
    issues.push({ path: 'nMels', message: `must be <= nFft / 2 + 1 = ${bins} (got ${params.nMels})` });
  if (issues.length) throw new SpgConfigError(issues);
  return params;
}
