// The seed README's custom collate function, in TypeScript, on the bundled samples/basic data:
// batches of (inputs [B, 1, nMels, spgLength], speech masks [B, spgLength]) from a shuffled DataLoader.
//
//   def custom_collate_fn(data):
//       inputs = torch.stack([d["spectrogram"] for d in data]).unsqueeze(1)
//       masks = torch.stack([d["masks"]["speech"] for d in data])
//       return inputs, masks
import { fileURLToPath } from 'node:url';
import { DataLoader, type Item, openSpectrogramDataset, stackTensors, unsqueeze } from 'spgdataset';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

function customCollate(data: Item[]) {
  const inputs = unsqueeze(stackTensors(data.map((d) => d.spectrogram!)), 1);
  const masks = stackTensors(data.map((d) => d.masks!.speech!));
  return [inputs, masks] as const;
}

const dataset = await openSpectrogramDataset({
  audioRoot: repo('samples/basic'),
  spectrogramsRoot: repo('.tmp/custom-collate/spectrograms'),
  indexRoot: repo('.tmp/custom-collate/index'),
  metadataJsonPath: repo('samples/basic/metadata.json'),
  outputConfiguration: { spectrogram: true, masks: ['speech'] },
  logger: { info: () => {}, warn: (message) => console.log(`note: ${message}`) },
});
console.log(`items: ${dataset.length}`);

const loader = new DataLoader(dataset, { batchSize: 8, shuffle: true, seed: 0, collate: customCollate });
for await (const [inputs, masks] of loader) {
  const speechFrames = masks.data.reduce((n, x) => n + x, 0);
  console.log(
    `inputs [${inputs.shape.join(', ')}] masks [${masks.shape.join(', ')}] speech frames ${speechFrames}`,
  );
}
