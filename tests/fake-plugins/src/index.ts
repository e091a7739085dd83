export {
  ASYNC_MEL_EXTRACTOR_ID,
  asyncMelExtractor,
  asyncMelExtractorDefinition,
} from './async-mel-extractor';
export {
  type CacheCall,
  COUNTING_CACHE_ID,
  cacheCalls,
  countingCache,
  countingCacheDefinition,
} from './counting-cache';
