import type { ProgressCallback, ProgressEvent } from '@spgdataset/core';

export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR = 24;

function describe(event: ProgressEvent): string {
  const total = event.total ?? '?';
  const eta =
    event.etaSeconds !== undefined && event.done !== event.total
      ? `, ${event.etaSeconds.toFixed(0)} s left`
      : '';
  return `${event.phase} ${event.done}/${total}${eta}`;
}

/**
 * Progress without a progress-bar library: on a TTY one line redrawn in place with a text bar;
 * otherwise a plain line at every tenth of each phase (and at its end), so logs stay short.
 */
export function plainProgress(stream: TextStream): ProgressCallback & { finish(): void } {
  let lastTenth = new Map<string, number>();
  let drawn = false;
  const callback = (event: ProgressEvent) => {
    if (stream.isTTY) {
      const share = event.total ? event.done / event.total : 0;
      const filled = Math.round(share * BAR);
      stream.write(`\r${describe(event).padEnd(40)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}]`);
      drawn = true;
      return;
    }
    const tenth = event.total ? Math.floor((10 * event.done) / event.total) : event.done;
    if (lastTenth.get(event.phase) === tenth) return;
    lastTenth.set(event.phase, tenth);
    stream.write(`${describe(event)}\n`);
  };
  return Object.assign(callback, {
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
      lastTenth = new Map();
    },
  });
}
