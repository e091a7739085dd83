// Links that break when a README is read on npm, where no other file of the repository exists.

/**
 * The link targets of `markdown` that are relative: markdown links and images (`[text](x)`,
 * `![alt](x)`), reference definitions (`[ref]: x`) and HTML `href` / `src`, outside fenced and
 * inline code. Absolute `http(s)://` URLs, `mailto:` and `#anchors` of the same page are fine.
 */
export function relativeLinks(markdown) {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]*)/g)].map((m) => m[1]),
    ...[...prose.matchAll(/^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]*)/gm)].map((m) => m[1]),
    ...[...prose.matchAll(/\b(?:href|src)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]),
  ];
  return targets.filter((target) => !/^(?:https?:\/\/|mailto:|#)/i.test(target));
}
