// Quickstart on the bundled sample data. For now it lists the sample files and their metadata;
// it becomes the seed README's example as the dataset lands.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fingerprint } from 'spgdataset';

const metadataPath = fileURLToPath(new URL('../../../samples/basic/metadata.json', import.meta.url));
const metadata = JSON.parse(readFileSync(metadataPath, 'utf8')) as Record<string, { length?: number }>;
for (const [path, entry] of Object.entries(metadata)) {
  const seconds = entry.length === undefined ? 'unknown' : `${(entry.length / 16000).toFixed(2)} s`;
  console.log(`${path.padEnd(28)} ${seconds}`);
}
console.log(`metadata fingerprint: ${fingerprint(metadata)}`);
