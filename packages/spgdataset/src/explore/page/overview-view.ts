import type { SummaryResponse } from './api';
import { barChart, histogramChart } from './charts';
import { el, formatSeconds } from './dom';

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The overview: inspect's facts and tables, as charts, plus the file and window distributions. */
export function overviewView(s: SummaryResponse): HTMLElement {
  const view = el('div', { id: 'overview' });
  view.append(
    el('h2', {}, 'Overview'),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'audio root'),
      el('dd', {}, s.title),
      el('dt', {}, 'files'),
      el('dd', { 'data-fact': 'files' }, s.files),
      el('dt', {}, 'audio'),
      el('dd', { 'data-fact': 'audio' }, s.audioSeconds === null ? '-' : formatSeconds(s.audioSeconds)),
      el('dt', {}, 'windows'),
      el('dd', { 'data-fact': 'windows' }, s.items),
      el('dt', {}, 'skipped'),
      el('dd', { 'data-fact': 'skipped' }, s.skipped.length),
      el('dt', {}, 'not audio'),
      el('dd', { 'data-fact': 'not-audio' }, s.nonAudio.length ? s.nonAudio.join(', ') : '-'),
      el('dt', {}, 'window'),
      el(
        'dd',
        {},
        `${s.sizes.windowSize / s.sizes.sampleRate} s every ${s.sizes.windowOffset / s.sizes.sampleRate} s, ${s.sizes.spgLength} frames at ${s.sizes.sampleRate} Hz / hop ${s.sizes.hopLength}`,
      ),
      el('dt', {}, 'output'),
      el(
        'dd',
        {},
        `masks [${s.output.masks.join(', ')}], label ${s.output.label ?? '-'}, meta [${s.output.meta.join(', ')}]`,
      ),
    ),
  );

  view.append(
    el('h3', {}, 'Windows per split'),
    barChart(
      s.splits.map((p) => ({ name: p.name, value: p.items })),
      { 'data-chart': 'splits' },
    ),
  );

  if (s.classes.length) {
    view.append(
      el('h3', {}, `Windows per class (${s.output.label})`),
      barChart(
        s.classes.map((c) => ({ name: c.name, value: c.total })),
        { 'data-chart': 'classes' },
      ),
    );
    const table = el(
      'table',
      { 'data-table': 'classes' },
      el(
        'tr',
        {},
        el('th', {}, 'class'),
        ...s.splits.map((p) => el('th', { class: 'num' }, p.name)),
        el('th', { class: 'num' }, 'total'),
      ),
    );
    for (const c of s.classes)
      table.append(
        el(
          'tr',
          { 'data-class': c.name },
          el('td', {}, c.name),
          ...c.perSplit.map((n, k) => el('td', { class: 'num', 'data-split': s.splits[k]!.name }, n)),
          el('td', { class: 'num', 'data-split': 'total' }, c.total),
        ),
      );
    view.append(table);
  }

  if (s.masks.length) {
    view.append(
      el('h3', {}, 'Mask coverage (share of frames set over kept windows)'),
      barChart(
        s.masks.map((m) => ({
          name: m.name,
          value: m.coverage,
          text: `${percent(m.coverage)} (${m.framesSet} of ${m.frames} frames)`,
        })),
        { 'data-chart': 'masks' },
      ),
    );
  }

  view.append(
    el('h3', {}, 'Distributions'),
    el(
      'div',
      { class: 'charts' },
      histogramChart(s.durations, (x) => `${Number(x.toFixed(2))} s`, 'file duration (files)'),
      histogramChart(s.contentRatios, (x) => x.toFixed(2), 'content ratio (kept windows)'),
    ),
  );

  view.append(el('h3', {}, `Skipped files (${s.skipped.length})`));
  if (s.skipped.length) {
    const table = el(
      'table',
      { 'data-table': 'skipped' },
      el('tr', {}, el('th', {}, 'file'), el('th', {}, 'reason')),
    );
    for (const f of s.skipped) table.append(el('tr', {}, el('td', {}, f.path), el('td', {}, f.reason)));
    view.append(table);
  } else view.append(el('p', { class: 'muted' }, 'none'));

  view.append(el('h3', {}, `Warnings (${s.warnings.length})`));
  if (s.warnings.length) {
    const list = el('ul', { class: 'warnings', 'data-list': 'warnings' });
    for (const w of s.warnings) list.append(el('li', {}, w));
    view.append(list);
  } else view.append(el('p', { class: 'muted' }, 'none'));
  return view;
}
