import { describe, joinPath } from '../config/config-issues';
import type { WindowOptions } from '../contracts/dataset-parts';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import { deriveSizes } from '../dataset/derived-sizes';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { extractorFrameCount } from '../extractor/extractor-frame-count';

/**
 * Cross-plugin facts: the extractor's declared features against the window grid (docs/behaviour.md#sizes) and, for
 * a mel extractor, its params against each other.
 */
export function checkExtractorFacts(
  extractor: FeatureExtractor,
  windows: WindowOptions | undefined,
  issues: ConfigIssue[],
): void {
  const f = extractor.features;
  const at = (key: string) => `extractor.features.${key}`;
  const before = issues.length;
  for (const key of ['rows', 'sampleRate', 'hopLength'] as const) {
    const value = f?.[key];
    if (!(Number.isInteger(value) && value > 0))
      issues.push({ path: at(key), message: `must be a whole number > 0 (got ${describe(value)})` });
  }
  const p = extractor.params;
  if (p && !(Number.isInteger(p.nFft) && p.nFft > 0))
    issues.push({
      path: 'extractor.params.nFft',
      message: `must be a whole number > 0 (got ${describe(p.nFft)})`,
    });
  if (issues.length > before) return;
  if (p) {
    if (p.hopLength > p.nFft)
      issues.push({
        path: 'extractor.params.nFft',
        message: `must be >= hopLength ${p.hopLength} (got ${p.nFft}); e.g. ${p.hopLength}`,
      });
    const bins = Math.floor(p.nFft / 2) + 1;
    if (p.nMels > bins)
      issues.push({
        path: 'extractor.params.nMels',
        message: `must be <= nFft / 2 + 1 = ${bins} (got ${p.nMels})`,
      });
  }
  if (!windows) return;
  try {
    const sizes = deriveSizes({
      sampleRate: f.sampleRate,
      hopLength: f.hopLength,
      windowSizeSec: windows.windowSizeSec,
      windowOffsetSec: windows.windowOffsetSec,
    });
    const frames = extractorFrameCount(extractor, sizes.windowSize);
    if (frames !== sizes.spgLength)
      issues.push({
        path: 'extractor',
        message: `${extractor.id} gives ${frames} frames for a window of ${sizes.windowSize} samples; the window grid needs floor(windowSize / hopLength) = ${sizes.spgLength}`,
      });
  } catch (error) {
    if (!SpgConfigError.isInstance(error)) throw error;
    for (const issue of error.issues) {
      const windowKey = issue.path === 'windowSizeSec' || issue.path === 'windowOffsetSec';
      issues.push({
        path: windowKey ? joinPath('windows', issue.path) : at(issue.path),
        message: issue.message,
      });
    }
  }
}
