// The FeatureExtractor conformance suite, every case, run on the built browser entry (dist/index.js
// with dsp.wasm next to the bundle, as an app ships it) in headless Chromium; the golden fixtures
// are fetched over HTTP.
import { fileURLToPath } from 'node:url';
import { featureExtractorCases } from '@spgdataset/core/conformance';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { goldenFixtureReader, goldenFixturesDirectory } from '@spgdataset/golden-fixtures/node';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describeConformanceInChromium } from '../../../config/chromium-conformance';

const root = fileURLToPath(new URL('..', import.meta.url));

describeConformanceInChromium('dsp-wasm FeatureExtractor conformance', {
  build,
  chromium,
  nodeCases: () => featureExtractorCases({ create: wasmMelExtractor, fixtures: goldenFixtureReader() }),
  resolveDir: root,
  page: `
    import { featureExtractorCases } from '@spgdataset/core/conformance';
    import { urlFixtureReader } from '@spgdataset/golden-fixtures';
    import { wasmMelExtractor } from ${JSON.stringify(`${root}dist/index.js`)};
    const cases = featureExtractorCases({
      create: (options) => wasmMelExtractor(options),
      fixtures: urlFixtureReader(new URL('./golden/', location.href)),
    });`,
  serve: {
    'dsp.wasm': `${root}dist/dsp.wasm`,
    'golden/index.json': `${goldenFixturesDirectory}index.json`,
    'golden/golden.bin': `${goldenFixturesDirectory}golden.bin`,
  },
});
