import { DataLoader, weightedSampler } from '@spgdataset/core';
import { expect, it } from 'vitest';
import { SpectrogramDatasetRouter } from '../src/index';
import { FakeDataset } from './fake-dataset';

const members = () => [
  new FakeDataset({ name: 'a', lengths: [3], classes: ['x', 'y'], labelOf: (i) => i % 2 }),
  new FakeDataset({ name: 'b', lengths: [2], classes: ['z'], labelOf: () => 0 }),
];

it("core's DataLoader reads a router like a dataset, with offset labels", async () => {
  const loader = new DataLoader(new SpectrogramDatasetRouter(members()), { batchSize: 2 });
  const labels: number[] = [];
  for await (const batch of loader) labels.push(...batch.label!);
  // a: 0 1 0; b: 0 0 moved up by a's 2 classes.
  expect(labels).toEqual([0, 1, 0, 2, 2]);
});

it("core's DataLoader with weightedSampler over router.weights and router.lengths", async () => {
  const router = new SpectrogramDatasetRouter(members(), { weights: [0, 1] });
  const sampler = weightedSampler({ weights: router.weights!, lengths: router.lengths, numSamples: 6 });
  const loader = new DataLoader(router, { batchSize: 3, sampler });
  const labels: number[] = [];
  for await (const batch of loader) labels.push(...batch.label!);
  // Weight 0 for dataset a: every draw comes from b, whose only class is global label 2.
  expect(labels).toEqual([2, 2, 2, 2, 2, 2]);
});
