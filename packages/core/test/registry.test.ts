import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  audioDecodeDecoderDefinition,
  createRegistry,
  type PluginDefinition,
  type Resampler,
  SpgConfigError,
  sincResamplerDefinition,
  urlSourceDefinition,
} from '../src/index';

async function configError(promise: Promise<unknown>): Promise<SpgConfigError> {
  try {
    await promise;
  } catch (error) {
    expect(SpgConfigError.isInstance(error)).toBe(true);
    return error as SpgConfigError;
  }
  throw new Error('expected an SpgConfigError');
}

const registry = createRegistry([audioDecodeDecoderDefinition, sincResamplerDefinition, urlSourceDefinition]);

describe('createRegistry', () => {
  it('lists ids by kind', () => {
    expect(registry.ids('resampler')).toEqual(['core/sinc']);
    expect(registry.ids('decoder')).toEqual(['core/audio-decode']);
    expect(registry.ids('extractor')).toEqual([]);
    expect(registry.has('source', 'core/url')).toBe(true);
  });

  it('creates a plugin from a reference, validating options with its schema', async () => {
    const resampler = await registry.create('resampler', {
      use: 'core/sinc',
      options: { attenuationDb: 100 },
    });
    expect([resampler.kind, resampler.id, resampler.options]).toEqual([
      'resampler',
      'core/sinc',
      { attenuationDb: 100 },
    ]);
    const decoder = await registry.create('decoder', { use: 'core/audio-decode' });
    expect(decoder.id).toBe('core/audio-decode');
  });

  it('an unknown id is an error listing the registered ids of that kind', async () => {
    const error = await configError(registry.create('resampler', { use: 'core/linear' }, 'resampler'));
    expect(error.issues).toEqual([
      {
        path: 'resampler.use',
        message: 'no resampler "core/linear" is registered; registered resampler ids: core/sinc',
      },
    ]);
  });

  it('invalid options are errors under <slot>.options.<key>', async () => {
    const error = await configError(
      registry.create('resampler', { use: 'core/sinc', options: { passband: 2, extra: true } }, 'resampler'),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'resampler.options.extra',
      'resampler.options.passband',
    ]);
  });

  it('SpgConfigErrors thrown by create are re-rooted under the slot', async () => {
    const picky: PluginDefinition<'resampler', unknown> = {
      kind: 'resampler',
      id: 'test/picky',
      schema: v.unknown(),
      create: () => {
        throw new SpgConfigError([{ path: 'quality', message: 'must be high' }]);
      },
    };
    const error = await configError(
      createRegistry([picky]).create('resampler', { use: 'test/picky' }, 'resampler'),
    );
    expect(error.issues).toEqual([{ path: 'resampler.options.quality', message: 'must be high' }]);
  });

  it('a definition that makes the wrong kind is caught', async () => {
    const liar: PluginDefinition<'resampler', unknown> = {
      kind: 'resampler',
      id: 'test/liar',
      schema: v.unknown(),
      create: () => ({ kind: 'decoder' }) as unknown as Resampler,
    };
    const error = await configError(createRegistry([liar]).create('resampler', { use: 'test/liar' }));
    expect(error.issues[0]!.message).toBe('test/liar made a decoder, not a resampler');
  });

  it('rejects duplicate ids and non-definitions', () => {
    expect(() => createRegistry([sincResamplerDefinition, sincResamplerDefinition])).toThrow(
      /registers resampler "core\/sinc" a second time/,
    );
    expect(() => createRegistry([{} as never])).toThrow(/is not a plugin definition/);
  });

  it('holds no global state: two registries do not see each other', () => {
    const other = createRegistry([]);
    expect(other.ids('resampler')).toEqual([]);
    expect(registry.ids('resampler')).toEqual(['core/sinc']);
  });
});
