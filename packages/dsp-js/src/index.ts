export {
  JS_MEL_EXTRACTOR_ID,
  JS_MEL_EXTRACTOR_VERSION,
  type JsMelExtractorOptions,
  jsMelExtractor,
  jsMelExtractorDefinition,
} from './js-mel-extractor';
