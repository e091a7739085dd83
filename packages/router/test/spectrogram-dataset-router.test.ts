import { SpgConfigError } from '@spgdataset/core';
import { describe, expect, it } from 'vitest';
import { SpectrogramDatasetRouter } from '../src/index';
import { FakeDataset, LABELLED, SPECTROGRAM_ONLY } from './fake-dataset';

async function labels(router: SpectrogramDatasetRouter): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = [];
  for (let i = 0; i < router.length; i++) out.push((await router.get(i)).label);
  return out;
}

async function origins(router: SpectrogramDatasetRouter): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < router.length; i++) {
    const meta = (await router.get(i)).meta as { name: string; index: number };
    out.push(`${meta.name}:${meta.index}`);
  }
  return out;
}

describe('concatenation', () => {
  it('joins members end to end, skipping empty ones', async () => {
    const router = new SpectrogramDatasetRouter([
      new FakeDataset({ name: 'a', lengths: [2] }),
      new FakeDataset({ name: 'empty', lengths: [0] }),
      new FakeDataset({ name: 'b', lengths: [3] }),
    ]);
    expect(router.length).toBe(5);
    expect(await origins(router)).toEqual(['a:0', 'a:1', 'b:0', 'b:1', 'b:2']);
    expect(router.locate(2)).toEqual({ dataset: 2, index: 0 });
    expect(router.locate(1)).toEqual({ dataset: 0, index: 1 });
  });

  it('rejects out-of-range and non-integer indices with a RangeError', async () => {
    const router = new SpectrogramDatasetRouter([new FakeDataset({ lengths: [3] })]);
    for (const bad of [-1, 3, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(router.get(bad)).rejects.toThrow(RangeError);
      expect(() => router.locate(bad)).toThrow(RangeError);
    }
    await expect(router.get(3)).rejects.toThrow('[0, 2] (length 3)');
  });

  it('adds the member location when the member can locate', () => {
    const router = new SpectrogramDatasetRouter([
      new FakeDataset({ name: 'a', lengths: [2] }),
      new FakeDataset({ name: 'b', lengths: [4], locatable: true }),
    ]);
    expect(router.locate(3)).toEqual({
      dataset: 1,
      index: 1,
      location: { path: 'b/1.wav', window: 1, startSample: 1600, contentRatio: 1 },
    });
  });
});

describe('labels', () => {
  // speech: classes [male, female]; noise: [car, rain, male]; music: [female]
  const members = () => [
    new FakeDataset({ name: 'speech', lengths: [2], classes: ['male', 'female'], labelOf: (i) => i }),
    new FakeDataset({ name: 'noise', lengths: [3], classes: ['car', 'rain', 'male'], labelOf: (i) => i }),
    new FakeDataset({ name: 'music', lengths: [1], classes: ['female'], labelOf: () => 0 }),
  ];

  it("'offset' (default) shifts labels by the class counts of earlier datasets", async () => {
    const router = new SpectrogramDatasetRouter(members());
    expect(router.labels).toBe('offset');
    expect(router.classes).toEqual(['male', 'female', 'car', 'rain', 'male', 'female']);
    // speech 0,1 -> +0; noise 0,1,2 -> +2; music 0 -> +5
    expect(await labels(router)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("'merge' maps equal class names to one index of the sorted union", async () => {
    const router = new SpectrogramDatasetRouter(members(), { labels: 'merge' });
    expect(router.classes).toEqual(['car', 'female', 'male', 'rain']);
    // speech male->2 female->1; noise car->0 rain->3 male->2; music female->1
    expect(await labels(router)).toEqual([2, 1, 0, 3, 2, 1]);
  });

  it("'merge' sorts by code point, like a dataset's classes (not by UTF-16 unit)", () => {
    const router = new SpectrogramDatasetRouter(
      [
        new FakeDataset({ lengths: [1], classes: ['\u{1F600}', 'b'] }),
        new FakeDataset({ lengths: [1], classes: ['\uFF01', 'a'] }),
      ],
      { labels: 'merge' },
    );
    // U+0061 < U+0062 < U+FF01 < U+1F600 (UTF-16 order would put U+1F600, as 0xD83D, before U+FF01).
    expect(router.classes).toEqual(['a', 'b', '\uFF01', '\u{1F600}']);
  });

  it('passes items without a label through unchanged', async () => {
    const router = new SpectrogramDatasetRouter([
      new FakeDataset({ name: 'a', lengths: [1], classes: ['x'], labelOf: () => 0 }),
      new FakeDataset({ name: 'b', lengths: [2], classes: ['y'], labelOf: (i) => (i === 0 ? undefined : 0) }),
    ]);
    const unlabelled = await router.get(1);
    expect(unlabelled).toEqual({ meta: { name: 'b', mode: 0, index: 0 } });
    expect('label' in unlabelled).toBe(false);
    expect((await router.get(2)).label).toBe(1);
  });

  it('does not mutate the items members return', async () => {
    const shared = { label: 0 };
    const member = new FakeDataset({ lengths: [1], classes: ['x'] });
    member.get = async () => shared;
    const router = new SpectrogramDatasetRouter([new FakeDataset({ lengths: [1], classes: ['w'] }), member]);
    expect((await router.get(1)).label).toBe(1);
    expect((await router.get(1)).label).toBe(1);
    expect(shared.label).toBe(0);
  });
});

describe('members that relabel themselves (getRelabeled)', () => {
  const members = (relabels: boolean) => [
    new FakeDataset({
      name: 'speech',
      lengths: [2],
      classes: ['male', 'female'],
      labelOf: (i) => i,
      relabels,
    }),
    new FakeDataset({
      name: 'noise',
      lengths: [3],
      classes: ['car', 'rain', 'male'],
      labelOf: (i) => i,
      relabels,
    }),
  ];

  it('hands members the label map instead of mapping their items, with the same labels', async () => {
    for (const rule of ['offset', 'merge'] as const) {
      const viaGet = new SpectrogramDatasetRouter(members(false), { labels: rule });
      const relabelling = members(true);
      const viaMembers = new SpectrogramDatasetRouter(relabelling, { labels: rule });
      expect(await labels(viaMembers)).toEqual(await labels(viaGet));
      // speech's offset map is the identity: it is read with get; noise's map is not.
      expect(relabelling[0]!.reads).toEqual(
        rule === 'offset' ? ['get(0)', 'get(1)'] : ['getRelabeled(0)', 'getRelabeled(1)'],
      );
      expect(relabelling[1]!.reads).toEqual(['getRelabeled(0)', 'getRelabeled(1)', 'getRelabeled(2)']);
    }
    // hand-computed: offset [0, 1, 2, 3, 4]; merge (car, female, male, rain) [2, 1, 0, 3, 2]
    expect(await labels(new SpectrogramDatasetRouter(members(true), { labels: 'merge' }))).toEqual([
      2, 1, 0, 3, 2,
    ]);
  });

  it("a router's own getRelabeled maps its labels and rejects a map of the wrong length", async () => {
    const router = new SpectrogramDatasetRouter(members(true));
    const reversed = Int32Array.from({ length: 5 }, (_, i) => 4 - i);
    const out: (number | undefined)[] = [];
    for (let i = 0; i < router.length; i++) out.push((await router.getRelabeled(i, reversed)).label);
    expect(out).toEqual([4, 3, 2, 1, 0]);
    await expect(router.getRelabeled(0, new Int32Array(4))).rejects.toThrow(
      'label map has 4 entries; this router has 5 classes',
    );
    await expect(router.getRelabeled(5, reversed)).rejects.toThrow(RangeError);
  });
});

describe('output configuration', () => {
  it('lists every differing key of every dataset', () => {
    const make = (output: typeof SPECTROGRAM_ONLY) => new FakeDataset({ lengths: [1], output });
    let error: unknown;
    try {
      new SpectrogramDatasetRouter([
        make({ ...SPECTROGRAM_ONLY, masks: ['noise'] }),
        make({ ...SPECTROGRAM_ONLY, masks: ['speech'] }),
        make({ ...SPECTROGRAM_ONLY, masks: ['noise'], audio: true, label: 'kind' }),
        make({ ...SPECTROGRAM_ONLY, masks: ['noise'] }),
      ]);
    } catch (e) {
      error = e;
    }
    expect(SpgConfigError.isInstance(error)).toBe(true);
    const issues = (error as SpgConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual([
      'datasets[1].outputConfiguration.masks',
      'datasets[2].outputConfiguration.audio',
      'datasets[2].outputConfiguration.label',
    ]);
    const message = (error as SpgConfigError).message;
    expect(message).toContain("dataset 1: masks ['speech'] vs ['noise'] in dataset 0");
    expect(message).toContain('dataset 2: audio true vs false in dataset 0');
    expect(message).toContain("dataset 2: label 'kind' vs null in dataset 0");
  });

  it('treats masks and meta as sets', () => {
    const a = new FakeDataset({ lengths: [1], output: { ...LABELLED, masks: ['a', 'b'], meta: ['x', 'y'] } });
    const b = new FakeDataset({ lengths: [1], output: { ...LABELLED, masks: ['b', 'a'], meta: ['y', 'x'] } });
    expect(new SpectrogramDatasetRouter([a, b]).outputConfiguration).toBe(a.outputConfiguration);
  });

  it('rejects an empty list and bad options in one error', () => {
    expect(() => new SpectrogramDatasetRouter([])).toThrow('a router needs at least one dataset');
    const members = [new FakeDataset({ lengths: [1] }), new FakeDataset({ lengths: [1] })];
    let error: unknown;
    try {
      new SpectrogramDatasetRouter(members, { labels: 'sum' as 'merge', weights: [1, -2] });
    } catch (e) {
      error = e;
    }
    expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual(['labels', 'weights[1]']);
    expect(() => new SpectrogramDatasetRouter(members, { weights: [1] })).toThrow(
      'one weight per dataset (2)',
    );
    expect(() => new SpectrogramDatasetRouter(members, { weights: [0, 0] })).toThrow('all weights are 0');
  });
});

describe('modes', () => {
  const members = () => [
    new FakeDataset({ name: 'a', lengths: [8, 2, 1] }),
    new FakeDataset({ name: 'b', lengths: [4, 3, 0] }),
    new FakeDataset({ name: 'c', lengths: [10, 0, 5] }),
  ];

  it('applies every mode method to all members and recomputes lengths', async () => {
    const [a, b, c] = members();
    const router = new SpectrogramDatasetRouter([a!, b!, c!]);
    expect(router.length).toBe(22);
    router.validate();
    expect(router.length).toBe(5);
    expect(await origins(router)).toEqual(['a:0', 'a:1', 'b:0', 'b:1', 'b:2']);
    router.test();
    expect(router.length).toBe(6);
    expect(router.locate(1)).toEqual({ dataset: 2, index: 0 });
    expect(router.train(0.5)).toBe(router);
    expect(router.length).toBe(4 + 2 + 5);
    router.valid();
    router.eval(0.5);
    router.setMode(2, 0.4);
    expect(router.length).toBe(0 + 0 + 2);
    for (const member of [a!, b!, c!]) {
      expect(member.modeCalls).toEqual([
        [1, undefined],
        [2, undefined],
        [0, 0.5],
        [1, undefined],
        [1, 0.5],
        [2, 0.4],
      ]);
    }
  });

  it('get and locate follow a mode change without reading length first', async () => {
    const router = new SpectrogramDatasetRouter(members());
    await router.get(21);
    router.validate();
    expect(((await router.get(4)).meta as { name: string }).name).toBe('b');
    await expect(router.get(5)).rejects.toThrow(RangeError);
  });

  it('notices a member whose mode was changed directly when length is read', () => {
    const [a, b, c] = members();
    const router = new SpectrogramDatasetRouter([a!, b!, c!]);
    expect(router.length).toBe(22);
    a!.setMode(1);
    expect(router.length).toBe(16);
    expect(router.locate(2)).toEqual({ dataset: 1, index: 0 });
  });

  it('propagates a member error and stays consistent with the members', () => {
    const router = new SpectrogramDatasetRouter([
      new FakeDataset({ name: 'a', lengths: [3, 1] }),
      new FakeDataset({ name: 'b', lengths: [2] }),
    ]);
    expect(() => router.validate()).toThrow('b has no mode 1');
    expect(router.length).toBe(1 + 2);
  });
});

describe('nesting', () => {
  it('a router of routers offsets labels and locates through both levels', async () => {
    const inner = new SpectrogramDatasetRouter([
      new FakeDataset({ name: 'a', lengths: [2, 1], classes: ['x'], labelOf: () => 0 }),
      new FakeDataset({ name: 'b', lengths: [1, 1], classes: ['y', 'z'], labelOf: () => 1 }),
    ]);
    const outer = new SpectrogramDatasetRouter([
      new FakeDataset({ name: 'c', lengths: [1, 2], classes: ['w'], labelOf: () => 0, locatable: true }),
      inner,
    ]);
    expect(outer.classes).toEqual(['w', 'x', 'y', 'z']);
    expect(outer.length).toBe(4);
    expect(await labels(outer)).toEqual([0, 1, 1, 3]);
    expect(outer.locate(3)).toEqual({ dataset: 1, index: 2, location: { dataset: 1, index: 0 } });
    outer.validate();
    expect(outer.length).toBe(4);
    expect(await origins(outer)).toEqual(['c:0', 'c:1', 'a:0', 'b:0']);
  });

  it('merge inside merge: labels compose through both levels (hand-computed)', async () => {
    for (const relabels of [false, true]) {
      // inner: a [dog, cat] + b [cat, owl] -> merge classes [cat, dog, owl]
      const inner = new SpectrogramDatasetRouter(
        [
          new FakeDataset({ name: 'a', lengths: [2], classes: ['dog', 'cat'], labelOf: (i) => i, relabels }),
          new FakeDataset({ name: 'b', lengths: [2], classes: ['cat', 'owl'], labelOf: (i) => i, relabels }),
        ],
        { labels: 'merge' },
      );
      // outer: c [owl, ant] + inner [cat, dog, owl] -> merge classes [ant, cat, dog, owl]
      const outer = new SpectrogramDatasetRouter(
        [
          new FakeDataset({ name: 'c', lengths: [2], classes: ['owl', 'ant'], labelOf: (i) => i, relabels }),
          inner,
        ],
        { labels: 'merge' },
      );
      expect(outer.classes).toEqual(['ant', 'cat', 'dog', 'owl']);
      // c: owl->3 ant->0; a: dog->2 cat->1; b: cat->1 owl->3
      expect(await labels(outer)).toEqual([3, 0, 2, 1, 1, 3]);
      expect(await origins(outer)).toEqual(['c:0', 'c:1', 'a:0', 'a:1', 'b:0', 'b:1']);
    }
  });
});
