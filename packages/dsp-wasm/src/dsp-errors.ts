/**
 * What each dsp.wasm error code means (crate/src/lib.rs `ERR_*`). The one table of messages: a
 * test checks it has exactly one entry per code the module reports.
 */
export const DSP_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  0: { code: 'SPG_EXTRACTOR_OK', message: 'no error' },
  1: {
    code: 'SPG_EXTRACTOR_INVALID_PARAMS',
    message: 'dsp.wasm rejected the mel parameters (they should have been validated first)',
  },
  2: {
    code: 'SPG_EXTRACTOR_BAD_HANDLE',
    message: 'dsp.wasm has no plan with this handle (the extractor was disposed or never created)',
  },
  3: {
    code: 'SPG_EXTRACTOR_OUT_OF_MEMORY',
    message: 'dsp.wasm could not grow its memory for this input; pass shorter signals',
  },
  4: { code: 'SPG_EXTRACTOR_NO_INPUT', message: 'dsp.wasm plan_run was called before plan_input_ptr' },
  5: {
    code: 'SPG_EXTRACTOR_INPUT_TOO_SHORT',
    message:
      'the centred reflect pad needs more than nFft / 2 samples (torch refuses such inputs too); pad the signal or pass fewer than hopLength samples',
  },
};

/** The table entry for `code` (unknown codes name themselves). */
export function dspError(code: number): { code: string; message: string } {
  return (
    DSP_ERRORS[code] ?? { code: 'SPG_EXTRACTOR_UNKNOWN', message: `dsp.wasm reported unknown error ${code}` }
  );
}
