/**
 * What each dsp.wasm error code means (crate/src/lib.rs `ERR_*`). The one table of messages: a
 * test checks it has exactly one entry per code the module reports. The error code users see is
 * `SPG_<AREA>_<reason>`, the area being that of the plugin that called (EXTRACTOR, RESAMPLER).
 */
export const DSP_ERRORS: Readonly<Record<number, { reason: string; message: string }>> = {
  0: { reason: 'OK', message: 'no error' },
  1: {
    reason: 'INVALID_PARAMS',
    message: 'dsp.wasm rejected the parameters or filter design (they should have been validated first)',
  },
  2: {
    reason: 'BAD_HANDLE',
    message: 'dsp.wasm has no plan with this handle (the plugin was disposed or never created)',
  },
  3: {
    reason: 'OUT_OF_MEMORY',
    message: 'dsp.wasm could not grow its memory for this input; pass shorter signals',
  },
  4: { reason: 'NO_INPUT', message: 'dsp.wasm was asked to finish more values than it was given' },
  5: {
    reason: 'INPUT_TOO_SHORT',
    message:
      'the centred reflect pad needs more than nFft / 2 samples (torch refuses such inputs too); pad the signal or pass fewer than hopLength samples',
  },
  6: {
    reason: 'STREAM_ENDED',
    message: 'the stream has ended; start a new stream() for the next signal',
  },
};

/** The table entry for `code` with the code users see for `area` (unknown codes name themselves). */
export function dspError(code: number, area: 'EXTRACTOR' | 'RESAMPLER'): { code: string; message: string } {
  const entry = DSP_ERRORS[code] ?? { reason: 'UNKNOWN', message: `dsp.wasm reported unknown error ${code}` };
  return { code: `SPG_${area}_${entry.reason}`, message: entry.message };
}
