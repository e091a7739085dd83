import { describeFeatureExtractor } from '@spgdataset/core/testing';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
import { jsMelExtractor } from '../src/index';

describeFeatureExtractor('dsp-js', {
  create: (options) => jsMelExtractor(options),
  fixtures: goldenFixtureReader(),
});
