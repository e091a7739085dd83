import { SpgCacheError } from './spg-cache-error';
import { type ConfigIssue, SpgConfigError } from './spg-config-error';
import { SpgDecodeError } from './spg-decode-error';
import { SpgError, type SpgErrorJson } from './spg-error';
import { SpgExtractorError } from './spg-extractor-error';
import { SpgMetadataError } from './spg-metadata-error';
import { SpgShardError } from './spg-shard-error';

/** Rebuilds an error from `toJSON()` output (e.g. after crossing a worker boundary). */
export function spgErrorFromJSON(json: SpgErrorJson): SpgError {
  // biome-ignore lint/suspicious/noExplicitAny: details were produced by the matching constructor.
  const d = json.details as any;
  let error: SpgError;
  switch (json.name) {
    case 'SpgConfigError':
      error = new SpgConfigError(d.issues as ConfigIssue[], json.code);
      break;
    case 'SpgMetadataError':
      error = new SpgMetadataError(json.code, json.message, d);
      break;
    case 'SpgDecodeError':
      error = new SpgDecodeError(json.code, json.message, d);
      break;
    case 'SpgCacheError':
      error = new SpgCacheError(json.code, json.message, d);
      break;
    case 'SpgExtractorError':
      error = new SpgExtractorError(json.code, json.message, d.extractorId);
      break;
    case 'SpgShardError':
      error = new SpgShardError(json.code, json.message, d);
      break;
    default:
      error = new SpgError(json.code, json.message, json.details);
  }
  // Keep the original message even where the constructor would have rebuilt it.
  error.message = json.message;
  return error;
}
