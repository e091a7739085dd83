import { describeFeatureExtractor, describeResampler } from '@spgdataset/core/testing';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';

describeFeatureExtractor('dsp-wasm/log-mel', { create: (options) => wasmMelExtractor(options) });
describeResampler('dsp-wasm/resampler', { create: () => wasmResampler() });
