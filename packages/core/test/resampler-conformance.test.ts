import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
import { sincResampler } from '../src/index';
import { describeResampler } from '../src/testing';

describeResampler('core/sinc', { create: () => sincResampler(), fixtures: goldenFixtureReader() });
