import { describeFeatureExtractor } from '@spgdataset/core/testing';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';

describeFeatureExtractor('dsp-wasm/log-mel', { create: (options) => wasmMelExtractor(options) });
