import { describeFeatureExtractor } from '@spgdataset/core/testing';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';

describeFeatureExtractor('dsp-wasm/log-mel', {
  create: (options) => wasmMelExtractor(options),
  fixtures: goldenFixtureReader(),
});
