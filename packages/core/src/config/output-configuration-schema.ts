import * as v from 'valibot';
import type { OutputConfiguration } from '../contracts/output-configuration';
import { SpgConfigError } from '../errors/spg-config-error';
import { configIssuesFromValibot } from './config-issues';

const fieldNames = (key: string) =>
  v.array(
    v.pipe(v.string('must be a field name (string)'), v.minLength(1, 'must be a non-empty field name')),
    `must be a list of field names (string[]), e.g. ${key === 'masks' ? '["speech"]' : '["gender"]'}`,
  );

/** docs/behaviour.md#options: every key optional, defaults `{ audio: false, spectrogram: true, masks: [], meta: [], label: null }`. */
export const outputConfigurationSchema = v.strictObject(
  {
    audio: v.optional(v.boolean('must be a boolean'), false),
    spectrogram: v.optional(v.boolean('must be a boolean'), true),
    masks: v.optional(fieldNames('masks'), () => []),
    meta: v.optional(fieldNames('meta'), () => []),
    label: v.optional(
      v.nullable(
        v.pipe(
          v.string('must be a metadata field name (string) or null'),
          v.minLength(1, 'must be a non-empty field name or null'),
        ),
      ),
      null,
    ),
  },
  (issue) =>
    issue.expected === 'never'
      ? 'is not an output option; use audio, spectrogram, masks, meta or label'
      : 'output configuration must be an object { audio, spectrogram, masks, meta, label }',
);

/**
 * Validates an output configuration and fills its defaults (docs/behaviour.md#options). Unknown keys and wrong types
 * throw ONE `SpgConfigError` naming every offending key and the expected type.
 *
 * @example
 * parseOutputConfiguration({ masks: ['speech'], label: 'gender' });
 * // { audio: false, spectrogram: true, masks: ['speech'], meta: [], label: 'gender' }
 */
export function parseOutputConfiguration(input: unknown, path = ''): OutputConfiguration {
  if (Array.isArray(input))
    throw new SpgConfigError([
      {
        path,
        message:
          'output configuration must be an object { audio, spectrogram, masks, meta, label } (got an array)',
      },
    ]);
  const parsed = v.safeParse(outputConfigurationSchema, input ?? {});
  if (!parsed.success) throw new SpgConfigError(configIssuesFromValibot(parsed.issues, path));
  const o = parsed.output;
  return {
    audio: o.audio,
    spectrogram: o.spectrogram,
    masks: [...o.masks],
    meta: [...o.meta],
    label: o.label,
  };
}
