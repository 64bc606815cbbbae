// Dashboard charts: every canvas[data-url] gets its JSON and is drawn with Chart.js. Labels and series names come
// from log data: Chart.js draws them as canvas text (never HTML), and links are only followed within this site.
// Long ones (a domain or a channel of hundreds of characters) are shortened on the axis and in the legend, whole in
// the tooltip.

import { logJson, shorten } from './labels.js';

const STATUS_COLOURS = {
  delivered: '#2e8540', deferred: '#c7811a', queued: '#5b7a99', bounced: '#c0392b', rejected: '#7d3c98',
};
const PALETTE = ['#1f5fa8', '#c7811a', '#2e8540', '#c0392b', '#7d3c98', '#16a085', '#d35400', '#5b7a99',
  '#8e44ad', '#27ae60', '#b7950b', '#2c3e50', '#e67e22', '#1abc9c', '#95a5a6', '#6c3483', '#a93226'];

export function colour(kind, name, index) {
  if (kind === 'status' && STATUS_COLOURS[name]) {
    return STATUS_COLOURS[name];
  }
  return PALETTE[index % PALETTE.length];
}

/**
 * '2026-03-02T14:00:00' as '03-02 14:00' (hourly), '2026-03-02' (daily), '2026-03' (monthly) or '2026' (a bar of a
 * year, a decade or more: the year it starts, which may have a sign or more than four digits).
 */
export function bucketLabel(iso, unit) {
  const [date, time = ''] = String(iso).split('T');
  switch (unit) {
    case 'hour':
      return `${date.slice(5)} ${time.slice(0, 5)}`;
    case 'day':
      return date;
    case 'month':
      return date.slice(0, 7);
    default:
      return date.slice(0, date.length - 6);
  }
}

/** Only same-site paths are followed: chart links come from the server but travel through log-derived data. */
export function safeLink(link) {
  return typeof link === 'string' && link.startsWith('/') && !link.startsWith('//') ? link : null;
}

async function drawOne(canvas) {
  const card = canvas.closest('.chart-card');
  const empty = card ? card.querySelector('.chart-empty') : null;
  let data;
  try {
    const response = await fetch(canvas.dataset.url, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    data = await logJson(response);
  } catch (e) {
    if (empty) {
      empty.textContent = `The chart could not be loaded (${e.message}).`;
      empty.hidden = false;
    }
    return;
  }
  const total = data.series.reduce((sum, s) => sum + s.values.reduce((a, b) => a + b, 0), 0);
  if (total === 0) {
    if (empty) {
      empty.hidden = false;
    }
    canvas.dataset.state = 'empty';
    return;
  }
  const kind = canvas.dataset.kind;
  const labels = data.labels.map((l) => (data.timeAxis ? bucketLabel(l, data.unit) : String(l)));
  const datasets = data.series.map((s, i) => ({
    label: String(s.name),
    data: s.values,
    backgroundColor: colour(kind, s.name, i),
    borderColor: colour(kind, s.name, i),
    borderWidth: data.type === 'line' ? 2 : 0,
    // a series that is not what the title counts (a relay channel's hand-offs beside the deliveries) is dashed
    borderDash: s.kind ? [6, 4] : undefined,
    pointRadius: data.type === 'line' ? 0 : undefined,
    links: s.links || null,
  }));
  const chart = new window.Chart(canvas, {
    type: data.type,
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: {
          stacked: data.stacked,
          // a category label drawn in full took the plot's whole width; the tooltip's title keeps it whole
          ticks: { autoSkip: true, maxRotation: 0, callback: (v) => shorten(labels[v]) },
        },
        y: { stacked: data.stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
      plugins: {
        legend: {
          display: datasets.length > 1,
          position: 'bottom',
          labels: {
            generateLabels: (c) => window.Chart.defaults.plugins.legend.labels.generateLabels(c)
              .map((item) => ({ ...item, text: shorten(item.text) })),
          },
        },
      },
      onClick: (event, elements) => {
        if (!elements.length) {
          return;
        }
        const { datasetIndex, index } = elements[0];
        const links = datasets[datasetIndex].links;
        const link = links ? safeLink(links[index]) : null;
        if (link) {
          window.location.assign(link);
        }
      },
    },
  });
  canvas.dataset.state = 'drawn';
  canvas.chart = chart;
}

export function drawCharts(root) {
  if (!window.Chart) {
    return;
  }
  root.querySelectorAll('canvas[data-url]').forEach((canvas) => { drawOne(canvas); });
}
