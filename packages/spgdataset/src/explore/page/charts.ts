import type { Histogram } from '../explore-api';
import { el } from './dom';

/** Horizontal bars, one row per entry: name, bar (relative to the largest), value text. */
export function barChart(
  entries: { name: string; value: number; text?: string }[],
  attributes: Record<string, string> = {},
): HTMLElement {
  const max = Math.max(1e-12, ...entries.map((e) => e.value));
  const chart = el('div', { class: 'bars', ...attributes });
  for (const entry of entries) {
    const bar = el('div', { class: 'bar' });
    bar.style.width = `${(100 * entry.value) / max}%`;
    chart.append(
      el('span', {}, entry.name),
      el('div', {}, bar),
      el(
        'span',
        { class: 'num', 'data-name': entry.name, 'data-value': entry.value },
        entry.text ?? String(entry.value),
      ),
    );
  }
  return chart;
}

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** A histogram as SVG columns with the range and the largest count labelled. */
export function histogramChart(h: Histogram, format: (x: number) => string, label: string): SVGSVGElement {
  const width = 360;
  const height = 140;
  const pad = { left: 36, right: 8, top: 8, bottom: 34 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...h.counts);
  const root = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: 'histogram',
    role: 'img',
  });
  root.setAttribute('aria-label', label);
  const barW = plotW / h.counts.length;
  h.counts.forEach((count, k) => {
    const barH = (plotH * count) / max;
    const rect = svg('rect', {
      x: pad.left + k * barW + 0.5,
      y: pad.top + plotH - barH,
      width: Math.max(1, barW - 1),
      height: barH,
      fill: '#5aa0ff',
      'data-count': count,
    });
    const title = svg('title', {});
    title.textContent = `${format(h.edges[k]!)} – ${format(h.edges[k + 1]!)}: ${count}`;
    rect.append(title);
    root.append(rect);
  });
  const text = (x: number, y: number, content: string, anchor = 'middle') => {
    const node = svg('text', { x, y, fill: '#9a9aa6', 'font-size': 11, 'text-anchor': anchor });
    node.textContent = content;
    root.append(node);
  };
  root.append(
    svg('line', {
      x1: pad.left,
      x2: pad.left + plotW,
      y1: pad.top + plotH,
      y2: pad.top + plotH,
      stroke: '#444',
    }),
  );
  text(pad.left, pad.top + plotH + 14, format(h.edges[0]!), 'start');
  text(pad.left + plotW, pad.top + plotH + 14, format(h.edges[h.edges.length - 1]!), 'end');
  text(pad.left + plotW / 2, pad.top + plotH + 28, label);
  text(pad.left - 4, pad.top + 10, String(max), 'end');
  text(pad.left - 4, pad.top + plotH, '0', 'end');
  return root;
}
