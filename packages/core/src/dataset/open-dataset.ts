import { cacheKey } from '../cache/cache-key';
import { layeredCache } from '../cache/layered-cache';
import { MemoryCache } from '../cache/memory-cache';
import type { DatasetParts } from '../contracts/dataset-parts';
import type { EntryWriter } from '../contracts/spectrogram-cache';
import { SpgConfigError } from '../errors/spg-config-error';
import { extractorFrameCount } from '../extractor/extractor-frame-count';
import { fingerprint } from '../fingerprint/fingerprint';
import { entryWriterFor } from '../generation/entry-writer-for';
import { featureFingerprintOf } from '../generation/feature-fingerprint';
import { GenerationPipeline } from '../generation/generation-pipeline';
import { generationPlan } from '../generation/generation-plan';
import { pipelineEntryBuffers } from '../generation/make-spectrogram';
import { measureSamples, streamSpectrogram } from '../generation/stream-spectrogram';
import { isAudioPath } from './audio-extensions';
import {
  buildIndex,
  type DatasetIndex,
  filesToDecode,
  type IndexedFile,
  type IndexInputs,
  indexInputsJson,
  type MeasuredFile,
  readIndex,
  type SkippedFile,
} from './dataset-index';
import { emptyStats } from './dataset-report';
import { deriveSizes } from './derived-sizes';
import { FileReadPath } from './file-read-path';
import { generateMissing } from './generate-missing';
import { ItemParts } from './item-parts';
import { ItemTable } from './item-table';
import { fileLabels } from './label-classes';
import { measureInWorkers } from './measure-in-workers';
import { type MetadataFile, parseMetadataFile } from './metadata-schema';
import { notBuiltError } from './not-built-error';
import { progressReporter } from './progress-reporter';
import { SpectrogramDataset } from './spectrogram-dataset';
import type { GeneratorParts } from './spectrogram-generator';
import { SpectrogramProducer } from './spectrogram-producer';
import { validateSplit } from './split-assignment';
import { WarnOnce } from './warn-once';

async function statAll(parts: DatasetParts, paths: readonly string[]): Promise<IndexInputs['files']> {
  const out: IndexInputs['files'] = [];
  const batch = 64;
  for (let i = 0; i < paths.length; i += batch) {
    const chunk = paths.slice(i, i + batch);
    const stats = await Promise.all(chunk.map((p) => parts.source.stat(p)));
    for (let j = 0; j < chunk.length; j++) {
      const stat = stats[j]!;
      out.push({ path: chunk[j]!, stat: { size: stat.size, changeToken: stat.changeToken } });
    }
  }
  return out;
}

/** How `openDataset` treats what is missing. */
export interface OpenDatasetOptions {
  /**
   * Never build: a missing index or cached spectrogram is an `SpgError` `SPG_DATASET_NOT_BUILT`
   * (and a damaged entry a `SpgCacheError`) instead of being indexed or generated and written.
   * Default false.
   */
  readOnly?: boolean;
  /**
   * 'all' (default): check every cache entry, generate the missing and damaged ones, preload the
   * memory cache. 'on-demand': only index (decoding files whose length is not given); each file's
   * spectrogram is made and stored the first time an item of it is read (a preview of one item).
   */
  generate?: 'all' | 'on-demand';
}

/**
 * Opens a dataset from validated parts: checks the window grid against the extractor, loads or
 * builds the index, generates missing spectrograms (through `parts.scheduler` when the plugins can
 * be re-created in workers, else in this thread) and preloads the memory cache. With `readOnly`
 * it only loads what an earlier open built.
 *
 * @example
 * const ds = await openDataset(await createDataset(registry).source(...).parts());
 */
export async function openDataset(
  parts: DatasetParts,
  options: OpenDatasetOptions = {},
): Promise<SpectrogramDataset> {
  const generate = options.generate ?? 'all';
  if (generate !== 'all' && generate !== 'on-demand')
    throw new SpgConfigError([
      { path: 'generate', message: `must be 'all' or 'on-demand' (got ${JSON.stringify(generate)})` },
    ]);
  const readOnly = options.readOnly === true;
  const { extractor, windows, memory, output } = parts;
  const sizes = deriveSizes({
    sampleRate: extractor.features.sampleRate,
    hopLength: extractor.features.hopLength,
    windowSizeSec: windows.windowSizeSec,
    windowOffsetSec: windows.windowOffsetSec,
  });
  const ratio = windows.windowContentRatio;
  if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1))
    throw new SpgConfigError([
      { path: 'windowContentRatio', message: `must be in [0, 1] (got ${JSON.stringify(ratio)})` },
    ]);
  validateSplit(parts.split.split);
  const frames = extractorFrameCount(extractor, sizes.windowSize);
  if (frames !== sizes.spgLength) {
    throw new SpgConfigError([
      {
        path: 'extractor',
        message: `${extractor.id} gives ${frames} frames for a window of ${sizes.windowSize} samples, but the window grid needs floor(windowSize / hopLength) = ${sizes.spgLength}`,
      },
    ]);
  }
  const featureFingerprint = featureFingerprintOf(parts, { ...sizes, dtype: memory.dtype });
  const generatorParts: GeneratorParts = {
    source: parts.source,
    decoder: parts.decoder,
    resampler: parts.resampler,
    extractor,
    sampleRate: sizes.sampleRate,
    windowSize: sizes.windowSize,
    windowOffset: sizes.windowOffset,
    dtype: memory.dtype,
  };

  // Caches: memory (bounded) in front of the optional persistent cache, reached through the
  // layered cache, which checks every key once.
  const memoryCache =
    memory.maxMemoryCache > 0
      ? new MemoryCache({ maxBytes: Math.floor(memory.maxMemoryCache * 2 ** 20), dtype: memory.dtype })
      : undefined;
  const store = memoryCache || parts.cache ? layeredCache(memoryCache, parts.cache) : undefined;
  const stats = emptyStats();
  // Memory-only caching: once memory declines an entry, the rest is generated on demand.
  let memoryFull = false;
  const generatedWhileIndexing = new Set<string>();

  // Scan: audio by extension, sorted by relative path, so item order is the same on every machine.
  const listedPaths = (await parts.source.list()).slice().sort();
  const audio = listedPaths.filter(isAudioPath);
  const nonAudio = listedPaths.filter((p) => !isAudioPath(p));
  const metadataBytes = parts.metadata ? await parts.metadata.read() : null;
  const splitKey =
    parts.split.splitBy === 'file' || parts.split.splitBy === 'window' ? null : parts.split.splitBy;
  const inputs: IndexInputs = {
    files: await statAll(parts, audio),
    nonAudio,
    metadata: metadataBytes ? fingerprint({ text: new TextDecoder().decode(metadataBytes) }) : null,
    sizes,
    windowContentRatio: ratio,
    output,
    splitKey,
    onError: parts.onError,
  };
  const indexFingerprint = fingerprint(indexInputsJson(inputs));
  const warnings = new WarnOnce(parts.logger);
  const workers =
    output.spectrogram && store && generate === 'all' && !readOnly
      ? workersFor(parts, generatorParts, featureFingerprint, warnings.warn)
      : undefined;
  // With workers and onError 'skip', files whose length metadata.json gives are decoded by the workers
  // only (not here too): the scheduler reports the ones that fail, and they are left out of the index
  // before it is saved.
  const skipInWorkers = parts.onError === 'skip' && workers !== undefined;
  let metadataFile: MetadataFile | null | undefined;
  // Unknown entry keys (typos) found while parsing; they lead the index's warnings.
  const metadataWarnings: string[] = [];
  const metadataOf = () => {
    metadataFile ??=
      metadataBytes && parts.metadata
        ? parseMetadataFile(metadataBytes, parts.metadata.name, (w) => metadataWarnings.push(w))
        : null;
    return metadataFile;
  };
  const statOf = new Map(inputs.files.map((f) => [f.path, f.stat]));
  const sizeOf = new Map(inputs.files.map((f) => [f.path, f.stat.size]));
  const measure = async (path: string, needLength: boolean): Promise<MeasuredFile> => {
    if (needLength) stats.lengthsMeasured++;
    return { length: await measureSamples(generatorParts, { path, length: 0, size: sizeOf.get(path)! }) };
  };

  let index: DatasetIndex | undefined;
  if (parts.indexStore) {
    const stored = await parts.indexStore.load(indexFingerprint);
    index = readIndex(stored);
    if (stored !== undefined && !index && !readOnly)
      parts.logger.warn(
        `index ${indexFingerprint} under the index store is damaged or outdated; rebuilding it.`,
      );
  }
  const indexReused = index !== undefined;
  if (!index && readOnly) throw notBuiltError('index', { indexFingerprint });
  if (!index) {
    const indexProgress = progressReporter(parts.onProgress, 'index');
    const metadata = metadataOf();
    const decodeKnownLengths = parts.onError === 'skip' && !skipInWorkers;
    const toDecode = filesToDecode(inputs, metadata, decodeKnownLengths);
    // Lengths nobody wrote down are measured by decoding: on the workers when there are (each writes
    // the file's entry too), else here, file after file, in reused buffers with the next file read
    // ahead and the previous entry still writing (`GenerationPipeline`).
    const knownLengths =
      workers && parts.onError === 'throw' && toDecode.length
        ? await measureInWorkers({
            paths: toDecode,
            files: inputs.files,
            workers,
            stats,
            generated: generatedWhileIndexing,
            warn: warnings.warn,
            onProgress: indexProgress,
          })
        : undefined;
    const pipeline = new GenerationPipeline(generatorParts);
    const decodedHere = toDecode.filter((path) => !knownLengths?.has(path));
    pipeline.expect(
      decodedHere,
      decodedHere.map((path) => sizeOf.get(path)!),
    );
    const rows = extractor.features.rows;
    // Entries made while measuring, committed once the index keeps a window of their file.
    const made = new Map<MeasuredFile, EntryWriter>();
    try {
      index = await buildIndex({
        inputs,
        metadata,
        metadataName: parts.metadata?.name ?? null,
        warnings: metadataWarnings,
        knownLengths,
        decodeKnownLengths,
        // A file decoded to measure its length gets its spectrogram in the same pass (never decoded
        // twice), streamed into its cache entry, which `afterFile` commits or drops.
        measure: async (path, needLength, knownLength) => {
          if (needLength) stats.lengthsMeasured++;
          const job = { path, length: knownLength ?? 0, size: sizeOf.get(path)! };
          if (store && output.spectrogram && generate === 'all' && !memoryFull) {
            const { size, changeToken } = statOf.get(path)!;
            const key = cacheKey({ path, size, changeToken }, featureFingerprint);
            if (!(await store.has(key))) {
              const writer = await entryWriterFor(store, key, rows, pipelineEntryBuffers(pipeline));
              let samples: number;
              try {
                ({ samples } = await streamSpectrogram(generatorParts, job, writer, pipeline));
              } catch (error) {
                await writer.abort().catch(() => {});
                throw error;
              }
              const measured = { length: samples };
              made.set(measured, writer);
              return measured;
            }
          }
          return { length: await measureSamples(generatorParts, job, pipeline) };
        },
        afterFile: async (file, measured) => {
          const writer = measured && made.get(measured);
          if (!writer) return;
          made.delete(measured);
          if (file.windows.length === 0) {
            await writer.abort();
            return;
          }
          stats.generated++;
          generatedWhileIndexing.add(file.path);
          if (parts.cache) await pipeline.commit(writer);
          else if ((await writer.commit()) === false) memoryFull = true;
        },
        // Reported once the file's entry is on disk (a progress count never runs ahead of the cache).
        onFileDone: knownLengths
          ? undefined
          : (path, done, total) => pipeline.whenWritten(() => indexProgress(done, total, path)),
      });
    } catch (error) {
      await pipeline.finish().catch(() => {});
      throw error;
    } finally {
      // Files left out of the index (skipped after decoding): their entries are never committed.
      for (const writer of made.values()) await writer.abort().catch(() => {});
    }
    await pipeline.finish();
    if (parts.indexStore && !skipInWorkers) await parts.indexStore.save(indexFingerprint, index as never);
  }
  const saveIndex = !indexReused && skipInWorkers;
  for (const warning of index.warnings) parts.logger.warn(warning);
  if (index.nonAudio.length)
    parts.logger.info(
      `skipped ${index.nonAudio.length} non-audio file${index.nonAudio.length === 1 ? '' : 's'}: ${index.nonAudio.slice(0, 5).join(', ')}${index.nonAudio.length > 5 ? ', ...' : ''}`,
    );

  const keysOf = (files: readonly IndexedFile[]) =>
    files.map((f) =>
      cacheKey({ path: f.path, size: f.size, changeToken: f.changeToken }, featureFingerprint),
    );
  let files = index.files;
  let keys = keysOf(files);
  const producer = new SpectrogramProducer({ parts: generatorParts, sizes, stats, warn: warnings.warn });
  let skippedByWorkers: SkippedFile[] = [];
  if (readOnly && output.spectrogram && !store)
    throw notBuiltError('spectrograms', {
      missing: files.filter((f) => f.windows.length).map((f) => f.path),
    });
  if (output.spectrogram && store && !(memoryFull && !parts.cache) && generate === 'all') {
    skippedByWorkers = await generateMissing({
      files,
      keys,
      store,
      persistent: parts.cache,
      memory: memoryCache,
      producer,
      workers,
      stats,
      warn: warnings.warn,
      onProgress: parts.onProgress,
      generatedWhileIndexing,
      skipFailed: skipInWorkers,
      readOnly,
    });
  }
  if (skippedByWorkers.length) {
    // Index again without decoding (lengths as measured): the same index in-thread skipping gives.
    const before = new Set(index.warnings);
    index = await buildIndex({
      inputs,
      metadata: metadataOf(),
      metadataName: parts.metadata?.name ?? null,
      warnings: metadataWarnings,
      measure,
      decodeKnownLengths: false,
      failed: new Map([...index.skipped, ...skippedByWorkers].map((f) => [f.path, f.reason])),
      knownLengths: new Map(index.files.map((f) => [f.path, f.length])),
    });
    for (const warning of index.warnings) if (!before.has(warning)) parts.logger.warn(warning);
    files = index.files;
    keys = keysOf(files);
  }
  if (parts.indexStore && (saveIndex || skippedByWorkers.length))
    await parts.indexStore.save(indexFingerprint, index as never);

  const table = new ItemTable(files, parts.split, warnings.warn);
  const dataset = new SpectrogramDataset({
    parts,
    sizes,
    featureFingerprint,
    indexFingerprint,
    index,
    indexReused,
    table,
    itemParts: new ItemParts(files, table, output, sizes),
    labels: fileLabels(files, output.label),
    reader: new FileReadPath({
      files,
      keys,
      store,
      memory: memoryCache,
      producer,
      stats,
      warn: warnings.warn,
      readOnly,
      windowReads: parts.cache?.readWindow !== undefined,
    }),
    memory: memoryCache,
    stats,
    warnings,
  });
  return dataset;
}

/** The scheduler and plan generation runs on, or undefined (this thread) with one warning saying why. */
function workersFor(
  parts: DatasetParts,
  grid: GeneratorParts,
  featureFingerprint: string,
  warn: (message: string) => void,
) {
  const why = `numWorkers ${parts.numWorkers}`;
  if (!parts.scheduler) {
    if (parts.numWorkers > 0)
      warn(
        `${why}: no scheduler can run workers with this registry (Node: use nodeRegistry from spgdataset, or register workerThreadsSchedulerDefinition from @spgdataset/core/node); generating in this thread.`,
      );
    return undefined;
  }
  const plan = generationPlan(parts, parts.registry, {
    sampleRate: grid.sampleRate,
    windowSize: grid.windowSize,
    windowOffset: grid.windowOffset,
    dtype: grid.dtype,
    featureFingerprint,
  });
  if ('unavailable' in plan) {
    warn(
      `${parts.numWorkers > 0 ? why : `scheduler ${parts.scheduler.id}`}: ${plan.unavailable}; generating in this thread.`,
    );
    return undefined;
  }
  return { scheduler: parts.scheduler, plan };
}
