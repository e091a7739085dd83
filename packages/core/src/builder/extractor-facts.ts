import { describe, joinPath } from '../config/config-issues';
import type { WindowOptions } from '../contracts/dataset-parts';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import { deriveSizes } from '../dataset/derived-sizes';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';

/** Cross-plugin facts: the extractor's params against the window grid (SPEC 4) and each other. */
export function checkExtractorFacts(
  extractor: FeatureExtractor,
  windows: WindowOptions | undefined,
  issues: ConfigIssue[],
): void {
  const p = extractor.params;
  const at = (key: string) => `extractor.params.${key}`;
  const before = issues.length;
  for (const key of ['sampleRate', 'nFft', 'hopLength', 'nMels'] as const) {
    const value = p?.[key];
    if (!(Number.isInteger(value) && value > 0))
      issues.push({ path: at(key), message: `must be a whole number > 0 (got ${describe(value)})` });
  }
  if (issues.length > before) return;
  if (p.hopLength > p.nFft)
    issues.push({
      path: at('nFft'),
      message: `must be >= hopLength ${p.hopLength} (got ${p.nFft}); e.g. ${p.hopLength}`,
    });
  const bins = Math.floor(p.nFft / 2) + 1;
  if (p.nMels > bins)
    issues.push({ path: at('nMels'), message: `must be <= nFft / 2 + 1 = ${bins} (got ${p.nMels})` });
  if (!windows) return;
  try {
    const sizes = deriveSizes({
      sampleRate: p.sampleRate,
      hopLength: p.hopLength,
      windowSizeSec: windows.windowSizeSec,
      windowOffsetSec: windows.windowOffsetSec,
    });
    const frames = extractor.frameCount(sizes.windowSize);
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
