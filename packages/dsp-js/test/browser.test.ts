// The FeatureExtractor conformance suite, every case, run on the built browser entry (dist/index.js,
// bundled as an app would) in headless Chromium; the golden fixtures are fetched over HTTP.
import { fileURLToPath } from 'node:url';
import { featureExtractorCases } from '@spgdataset/core/conformance';
import { goldenFixtureReader, goldenFixturesDirectory } from '@spgdataset/golden-fixtures/node';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describeConformanceInChromium } from '../../../config/chromium-conformance';
import { jsMelExtractor } from '../src/index';

const root = fileURLToPath(new URL('..', import.meta.url));

describeConformanceInChromium('dsp-js FeatureExtractor conformance', {
  build,
  chromium,
  nodeCases: () => featureExtractorCases({ create: jsMelExtractor, fixtures: goldenFixtureReader() }),
  resolveDir: root,
  page: `
    import { featureExtractorCases } from '@spgdataset/core/conformance';
    import { urlFixtureReader } from '@spgdataset/golden-fixtures';
    import { jsMelExtractor } from ${JSON.stringify(`${root}dist/index.js`)};
    const cases = featureExtractorCases({
      create: (options) => jsMelExtractor(options),
      fixtures: urlFixtureReader(new URL('./golden/', location.href)),
    });`,
  serve: {
    'golden/index.json': `${goldenFixturesDirectory}index.json`,
    'golden/golden.bin': `${goldenFixturesDirectory}golden.bin`,
  },
});
