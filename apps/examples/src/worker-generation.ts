// Spectrogram generation on worker threads with progress: the bundled samples built with
// numWorkers 2 (each worker decodes, resamples and extracts its own files), progress drawn by
// renderProgress (bars on a terminal, plain lines when piped). A second open finds everything cached.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSpectrogramDataset, renderProgress } from 'spgdataset';

const samples = fileURLToPath(new URL('../../../samples/basic', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'spg-workers-example-'));
const options = {
  audioRoot: samples,
  metadataJsonPath: join(samples, 'metadata.json'),
  spectrogramsRoot: join(work, 'spectrograms'),
  indexRoot: join(work, 'index'),
  numWorkers: 2,
  onProgress: renderProgress(process.stderr),
};
try {
  const started = performance.now();
  const ds = await openSpectrogramDataset(options);
  const first = ds.report().spectrograms;
  console.log(`built ${ds.length} items on 2 workers in ${(performance.now() - started).toFixed(0)} ms`);
  console.log(`spectrograms: ${first.generated} generated, ${first.cached} cached`);
  const again = (await openSpectrogramDataset(options)).report().spectrograms;
  console.log(`second open: ${again.generated} generated, ${again.cached} cached`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
