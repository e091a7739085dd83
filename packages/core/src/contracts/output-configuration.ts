/** What each item carries (docs/behaviour.md#options). Validated by `parseOutputConfiguration`. */
export interface OutputConfiguration {
  audio: boolean;
  spectrogram: boolean;
  /** Interval names whose frame masks are returned; they also drive window selection (docs/behaviour.md#windows). */
  masks: string[];
  /** metadata fields returned in `meta` (except the label field). */
  meta: string[];
  /** metadata field enumerated into `label`, or null. */
  label: string | null;
}
