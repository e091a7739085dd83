import { type ConfigIssue, type OutputConfiguration, SpgConfigError } from '@spgdataset/core';
import { openDefaults } from './open-options';

const keys = ['audio', 'spectrogram', 'masks', 'meta', 'label'] as const;

/** Fills the defaults of a partial output configuration and checks every key's type (SPEC 3). */
export function resolveOutputConfiguration(value: unknown): OutputConfiguration {
  const issues: ConfigIssue[] = [];
  const given = (value ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SpgConfigError([
      { path: 'outputConfiguration', message: `must be an object (got ${JSON.stringify(value)})` },
    ]);
  }
  for (const key of Object.keys(given)) {
    if (!(keys as readonly string[]).includes(key))
      issues.push({
        path: `outputConfiguration.${key}`,
        message: `is not an option; use one of ${keys.join(', ')}`,
      });
  }
  const d = openDefaults.outputConfiguration;
  const out: OutputConfiguration = {
    audio: (given.audio ?? d.audio) as boolean,
    spectrogram: (given.spectrogram ?? d.spectrogram) as boolean,
    masks: (given.masks ?? [...d.masks]) as string[],
    meta: (given.meta ?? [...d.meta]) as string[],
    label: (given.label === undefined ? d.label : given.label) as string | null,
  };
  for (const key of ['audio', 'spectrogram'] as const)
    if (typeof out[key] !== 'boolean')
      issues.push({
        path: `outputConfiguration.${key}`,
        message: `must be a boolean (got ${JSON.stringify(out[key])})`,
      });
  for (const key of ['masks', 'meta'] as const)
    if (!Array.isArray(out[key]) || !out[key].every((x) => typeof x === 'string' && x.length > 0))
      issues.push({
        path: `outputConfiguration.${key}`,
        message: `must be a list of field names (got ${JSON.stringify(out[key])})`,
      });
  if (out.label !== null && (typeof out.label !== 'string' || out.label.length === 0))
    issues.push({
      path: 'outputConfiguration.label',
      message: `must be a field name or null (got ${JSON.stringify(out.label)})`,
    });
  if (issues.length) throw new SpgConfigError(issues);
  return { ...out, masks: [...out.masks], meta: [...out.meta] };
}
