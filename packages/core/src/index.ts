// Platform-neutral root export: no `node:` imports anywhere below this file.

export { createDataset, DatasetBuilder } from './builder/create-dataset';
export { assertCacheKey } from './cache/assert-cache-key';
export {
  assertSafeRelativePath,
  type CacheKey,
  cacheKey,
  type FileIdentity,
  parseCacheKey,
} from './cache/cache-key';
export { type LayeredCache, layeredCache } from './cache/layered-cache';
export {
  MEMORY_CACHE_ENTRY_OVERHEAD,
  MemoryCache,
  type MemoryCacheOptions,
  memoryCache,
  type PreloadOptions,
  type PreloadResult,
} from './cache/memory-cache';
export {
  float16ArrayToFloat32,
  float16BitsToFloat32,
  float32ArrayToFloat16,
  float32ToFloat16Bits,
  roundToFloat16InPlace,
} from './codec/float16';
export {
  decodeNpy,
  encodeNpy,
  encodeNpyHeader,
  type NpyArray,
  type NpyContext,
  type NpyDtype,
  type NpyHeader,
  type NpyOrder,
  npyByteLength,
  npyParts,
  npySizeMismatch,
  npyValues,
  readNpyHeader,
} from './codec/npy';
export { transposeInto } from './codec/transpose';
export {
  type DatasetConfig,
  datasetConfigSchema,
  datasetDataDefaults,
  memoryOptionsSchema,
  pluginReferenceSchema,
  splitOptionsSchema,
  windowOptionsSchema,
} from './config/dataset-config-schema';
export { melOptionsSchema, resolveMelParams } from './config/mel-options-schema';
export { outputConfigurationSchema, parseOutputConfiguration } from './config/output-configuration-schema';
export type {
  AudioDecoder,
  ByteInput,
  ByteRange,
  DecodeContext,
  DecodedAudio,
} from './contracts/audio-decoder';
export type { AudioSource, FileStat } from './contracts/audio-source';
export type {
  DatasetParts,
  MemoryOptions,
  MetadataInput,
  SplitOptions,
  WindowOptions,
} from './contracts/dataset-parts';
export type {
  ExtractorFeatures,
  FeatureExtractor,
  FeatureFinish,
  FeatureStream,
  MelExtractor,
} from './contracts/feature-extractor';
export type {
  GenerationPlan,
  GenerationRun,
  GenerationScheduler,
  GenerationTask,
  GenerationTaskResult,
} from './contracts/generation-scheduler';
export type { IndexStore } from './contracts/index-store';
export type { Item, ItemLocation } from './contracts/item';
export type { Json, JsonArray, JsonObject } from './contracts/json';
export { consoleLogger, type Logger, type LoggerFactory, silentLogger } from './contracts/logger';
export type { MelOptions, MelParams } from './contracts/mel-params';
export type { OutputConfiguration } from './contracts/output-configuration';
export type { PluginBase, PluginKind } from './contracts/plugin';
export type { PluginByKind, PluginDefinition } from './contracts/plugin-definition';
export type { ProgressCallback, ProgressEvent, ProgressPhase } from './contracts/progress';
export type { ReadableDataset } from './contracts/readable-dataset';
export type {
  IndexStoreDefinition,
  MadeByKind,
  MetadataOpener,
  Registry,
  RegistryEntry,
  RegistryKind,
  RegistryOptions,
} from './contracts/registry';
export type { Resampler, ResamplerStream } from './contracts/resampler';
export type { EntryWriter, SpectrogramCache } from './contracts/spectrogram-cache';
export type { StandardSchemaV1 } from './contracts/standard-schema';
export { shapeSize, type Tensor } from './contracts/tensor';
export { audioExtensions, isAudioPath } from './dataset/audio-extensions';
export type { DatasetIndex, IndexedFile, SkippedFile } from './dataset/dataset-index';
export type { DatasetReport, GenerationStats } from './dataset/dataset-report';
export { type DerivedSizes, type DerivedSizesInput, deriveSizes } from './dataset/derived-sizes';
export type { Interval } from './dataset/interval-union';
export { enumerateClasses } from './dataset/label-classes';
export { type MaskFramesInput, maskFrames, maskFramesInto } from './dataset/mask-frames';
export { type MetadataEntry, type MetadataFile, parseMetadataFile } from './dataset/metadata-schema';
export { type OpenDatasetOptions, openDataset } from './dataset/open-dataset';
export { SpectrogramDataset } from './dataset/spectrogram-dataset';
export {
  type GenerationJob,
  type GeneratorParts,
  generateSpectrogram,
  loadWaveform,
  padToWindowGrid,
} from './dataset/spectrogram-generator';
export { SplitModes } from './dataset/split-modes';
export { paddedLength, windowCount } from './dataset/windows';
export { audioDecodeDecoder, audioDecodeDecoderDefinition } from './decode/audio-decode-decoder';
export { type AudioFormat, detectAudioFormat } from './decode/detect-audio-format';
export { downmix } from './decode/downmix';
export { spgErrorFromJSON } from './errors/error-json';
export { isSkippableFileError } from './errors/is-skippable-file-error';
export { type CacheOperation, SpgCacheError } from './errors/spg-cache-error';
export { type ConfigIssue, SpgConfigError } from './errors/spg-config-error';
export { SpgDecodeError } from './errors/spg-decode-error';
export { SpgError, type SpgErrorJson } from './errors/spg-error';
export { SpgExtractorError } from './errors/spg-extractor-error';
export { SpgMetadataError } from './errors/spg-metadata-error';
export { SpgShardError } from './errors/spg-shard-error';
export { extractorFingerprint } from './extractor/extractor-fingerprint';
export { extractorFrameCount } from './extractor/extractor-frame-count';
export { logMelFinish } from './extractor/log-mel-finish';
export { melFeatures } from './extractor/mel-features';
export { canonicalJson } from './fingerprint/canonical-json';
export { fingerprint } from './fingerprint/fingerprint';
export { featureFingerprintOf } from './generation/feature-fingerprint';
export { generationPlan } from './generation/generation-plan';
export { type MadeSpectrogram, makeSpectrogram } from './generation/make-spectrogram';
export { runGenerationTask } from './generation/run-generation-task';
export { DataLoader, type DataLoaderOptions } from './loader/data-loader';
export { type Batch, type Collate, defaultCollate } from './loader/default-collate';
export { type DistributedSamplerOptions, distributedSampler } from './loader/distributed-sampler';
export { epochSeed, mulberry32 } from './loader/mulberry32';
export { type RandomSamplerOptions, randomSampler } from './loader/random-sampler';
export type { Sampler } from './loader/sampler';
export { sequentialSampler } from './loader/sequential-sampler';
export { shuffledIndices } from './loader/shuffled-indices';
export { stackTensors, unsqueeze } from './loader/stack-tensors';
export { type WeightedSamplerOptions, weightedSampler } from './loader/weighted-sampler';
export { createRegistry, referenceOf } from './registry/create-registry';
export { isPluginReference, type PluginReference } from './registry/plugin-reference';
export { passThroughStream } from './resample/pass-through-stream';
export { MAX_POLYPHASE_PHASES } from './resample/polyphase-stage';
export { ResampleStream, resampledLength } from './resample/resample-stream';
export { designResampler, type ResamplerDesignOptions } from './resample/resampler-design';
export type { HalfbandStage, PolyphaseStage, ResamplerDesign } from './resample/resampler-design-types';
export { checkResampleRate, resamplerDesigns } from './resample/resampler-designs';
export {
  resolveSincResamplerOptions,
  SINC_RESAMPLER_DEFAULTS,
  SINC_RESAMPLER_ID,
  SINC_RESAMPLER_VERSION,
  type SincResamplerOptions,
  type SincResamplerParams,
  sincResampler,
  sincResamplerDefinition,
  sincResamplerOptionsSchema,
} from './resample/sinc-resampler';
export { type HttpShardSourceOptions, httpShardSource } from './shards/http-shard-source';
export { type OpenShardedDatasetOptions, openShardedDataset } from './shards/open-sharded-dataset';
export { type Locatable, type ShardLocation, sampleKey, shardLocation } from './shards/shard-location';
export {
  manifestFingerprint,
  parseShardManifest,
  type ShardInfo,
  type ShardManifest,
} from './shards/shard-manifest';
export { type ShardPlan, type ShardPlanOptions, shardPlan } from './shards/shard-plan';
export { type AsyncDigest, defaultDigest, ShardStream, type ShardTarget } from './shards/shard-reader';
export {
  type DecodedSample,
  decodeShardSample,
  type EncodedSample,
  encodeShardSample,
  type ShardItem,
  type ShardRecord,
  type ShardSampleSpec,
  sampleDigestInput,
  tensorFields,
} from './shards/shard-sample';
export { checkShardSize, readAllBytes, type ShardOpenOptions, type ShardSource } from './shards/shard-source';
export { type ShardBatchesOptions, ShardedDataset } from './shards/sharded-dataset';
export type { ShardedState } from './shards/sharded-state';
export { ShuffleOrder } from './shards/shuffle-order';
export { type TarMember, TarParser } from './shards/tar-parser';
export { tarEnd, tarHeader, tarMember, tarMemberLength } from './shards/tar-writer';
export { bytesMetadata } from './source/bytes-metadata';
export { type FileListEntry, fileListSource } from './source/file-list-source';
export { mapSource } from './source/map-source';
export { type UrlSourceOptions, urlSource, urlSourceDefinition } from './source/url-source';
