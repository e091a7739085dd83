import { describeFeatureExtractor, describeResampler } from '@spgdataset/core/testing';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';

describeFeatureExtractor('dsp-wasm/log-mel', {
  create: (options) => wasmMelExtractor(options),
  fixtures: goldenFixtureReader(),
});
describeResampler('dsp-wasm/resampler', { create: () => wasmResampler(), fixtures: goldenFixtureReader() });
