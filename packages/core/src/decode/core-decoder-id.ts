/** Core's decoder (`audioDecodeDecoder`), whose WAV/AIFF PCM samples other parts of core may read by position themselves. */
export const CORE_DECODER_ID = 'core/audio-decode';
