/** Plugin id of the pure TypeScript log-mel extractor. */
export const JS_MEL_EXTRACTOR_ID = 'dsp-js/log-mel';
