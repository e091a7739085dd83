/**
 * The split-mode shorthands (docs/behaviour.md#caches) shared by datasets and routers: `train`, `validate` (aliases
 * `valid` and `eval`) and `test` select split part 0, 1 and 2 through `setMode`, with an optional
 * fraction, and return the object so calls chain (`dataset.train(0.5).length`).
 */
export abstract class SplitModes {
  /** Selects split part `mode` (0 train, 1 validate, 2 test) and optionally a fraction of it. */
  abstract setMode(mode: number, fraction?: number): void;

  train(fraction?: number): this {
    this.setMode(0, fraction);
    return this;
  }

  validate(fraction?: number): this {
    this.setMode(1, fraction);
    return this;
  }

  /** Alias of `validate()`. */
  valid(fraction?: number): this {
    return this.validate(fraction);
  }

  /** Alias of `validate()`. */
  eval(fraction?: number): this {
    return this.validate(fraction);
  }

  /** Split part 2 (the seed selects 3 here, a bug). */
  test(fraction?: number): this {
    this.setMode(2, fraction);
    return this;
  }
}
