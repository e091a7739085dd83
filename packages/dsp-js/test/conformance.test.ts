import { describeFeatureExtractor } from '@spgdataset/core/testing';
import { jsMelExtractor } from '../src/index';

describeFeatureExtractor('dsp-js', { create: (options) => jsMelExtractor(options) });
