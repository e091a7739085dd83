import { SpgError } from './spg-error';

/** One problem in a configuration: where (a dotted path such as `window.sizeSec`) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Invalid options or plugin combination. Lists every problem found, not just the first. */
export class SpgConfigError extends SpgError {
  override name = 'SpgConfigError';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], code = 'SPG_CONFIG_INVALID') {
    const lines = issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`);
    super(
      code,
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      {
        issues,
      },
    );
    this.issues = issues;
  }

  static override isInstance(value: unknown): value is SpgConfigError {
    return SpgError.isInstance(value) && value.name === 'SpgConfigError';
  }
}
