import type { Item, ItemLocation, OutputConfiguration, ReadableDataset } from '@spgdataset/core';

export const SPECTROGRAM_ONLY: OutputConfiguration = {
  audio: false,
  spectrogram: true,
  masks: [],
  meta: [],
  label: null,
};

export const LABELLED: OutputConfiguration = { ...SPECTROGRAM_ONLY, label: 'kind' };

export interface FakeOptions {
  name?: string;
  /** Items per mode: [train, validate, test]; a missing mode throws like a real dataset. */
  lengths: number[];
  classes?: string[];
  /** Label of local item i in the current mode; default none. */
  labelOf?: (i: number) => number | undefined;
  output?: OutputConfiguration;
  locatable?: boolean;
  /** Give the fake a `getRelabeled` (like core's SpectrogramDataset); its calls are recorded. */
  relabels?: boolean;
}

/** A ReadableDataset whose items say where they come from: meta = { name, mode, index }. */
export class FakeDataset implements ReadableDataset {
  readonly name: string;
  readonly classes: readonly string[];
  readonly outputConfiguration: OutputConfiguration;
  mode = 0;
  fraction = 1;
  readonly modeCalls: [number, number | undefined][] = [];
  /** Calls of `get` and of `getRelabeled`, in order. */
  readonly reads: string[] = [];
  private readonly options: FakeOptions;

  constructor(options: FakeOptions) {
    this.options = options;
    this.name = options.name ?? 'fake';
    this.classes = options.classes ?? [];
    this.outputConfiguration = options.output ?? (options.classes ? LABELLED : SPECTROGRAM_ONLY);
    if (options.locatable) {
      (this as unknown as { locate: (i: number) => ItemLocation }).locate = (i) => ({
        path: `${this.name}/${i}.wav`,
        window: i,
        startSample: i * 1600,
        contentRatio: 1,
      });
    }
    if (options.relabels) {
      (this as ReadableDataset).getRelabeled = async (index, labelMap) => {
        this.reads.push(`getRelabeled(${index})`);
        const item = await this.item(index);
        if (item.label !== undefined) item.label = labelMap[item.label]!;
        return item;
      };
    }
  }

  get length(): number {
    return Math.floor(this.options.lengths[this.mode]! * this.fraction);
  }

  get(index: number): Promise<Item> {
    this.reads.push(`get(${index})`);
    return this.item(index);
  }

  private async item(index: number): Promise<Item> {
    if (!(Number.isInteger(index) && index >= 0 && index < this.length)) {
      throw new RangeError(`${this.name}: index ${index} out of range`);
    }
    const label = this.options.labelOf?.(index);
    const item: Item = { meta: { name: this.name, mode: this.mode, index } };
    if (label !== undefined) item.label = label;
    return item;
  }

  setMode(mode: number, fraction?: number): void {
    this.modeCalls.push([mode, fraction]);
    if (this.options.lengths[mode] === undefined) throw new Error(`${this.name} has no mode ${mode}`);
    this.mode = mode;
    this.fraction = fraction ?? 1;
  }
}
