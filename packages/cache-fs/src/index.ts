/** Plugin id of the filesystem spectrogram cache. */
export const FS_CACHE_ID = 'cache-fs/npy';
