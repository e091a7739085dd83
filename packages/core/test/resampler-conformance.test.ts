import { sincResampler } from '../src/index';
import { describeResampler } from '../src/testing';

describeResampler('core/sinc', { create: () => sincResampler() });
