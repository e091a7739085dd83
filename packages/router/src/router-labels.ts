import { enumerateClasses } from '@spgdataset/core';

/**
 * How member labels become router labels. 'offset' (the seed's rule): labels of dataset d move up
 * by the class count of datasets 0..d-1 and `classes` is the concatenation. 'merge': equal class
 * names share one index and `classes` is the sorted union, by code point like a dataset's own
 * classes (Python's `sorted`).
 */
export type LabelRule = 'offset' | 'merge';

export interface RouterLabels {
  classes: string[];
  /** Per dataset: local label -> global label, or null when the mapping is the identity. */
  maps: (Int32Array | null)[];
}

function identity(map: Int32Array): boolean {
  return map.every((global, local) => global === local);
}

export function routerLabels(
  classesPerDataset: readonly (readonly string[])[],
  rule: LabelRule,
): RouterLabels {
  const classes = rule === 'offset' ? classesPerDataset.flat() : enumerateClasses(classesPerDataset.flat());
  const indexOf = new Map(classes.map((name, i) => [name, i]));
  let offset = 0;
  const maps = classesPerDataset.map((own) => {
    const map =
      rule === 'offset'
        ? Int32Array.from(own, (_, local) => offset + local)
        : Int32Array.from(own, (name) => indexOf.get(name)!);
    offset += own.length;
    return identity(map) ? null : map;
  });
  return { classes, maps };
}
