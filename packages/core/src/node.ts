// Node-only helpers of @spgdataset/core (filesystem audio source, index store, worker pool).
export const nodeEntry = 'node' as const;
