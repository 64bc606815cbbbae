// The message timeline: one row per recipient on a real time axis; a mark for the enqueue and for every attempt,
// coloured by outcome, and bars for the waits between them. Tooltip lines are plain strings drawn on the canvas by
// Chart.js, so log text in them is shown, never interpreted.

import { logJson, shorten } from './labels.js';

const OUTCOME_COLOURS = {
  enqueued: '#1f5fa8', 'handed on': '#6f9fd8', delivered: '#2e8540', deferred: '#c7811a', bounced: '#c0392b', rejected: '#7d3c98',
  other: '#5b6675',
};

/** '1998-01-15T10:31:05.18' as milliseconds, read as UTC so that no time zone shifts the log's own times. */
export function parseLocal(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/.exec(String(iso));
  if (!m) {
    return NaN;
  }
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0), ms);
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

/** Milliseconds back to the log's notation. */
export function formatTime(ms, withDate) {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withDate ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time}` : time;
}

export function formatGap(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) {
    return '';
  }
  const s = Math.round(seconds);
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** The tooltip lines of one event. */
export function describe(e) {
  const lines = [`${e.kind}: ${formatTime(e.x, true)}`];
  if (e.gap !== null && e.gap !== undefined) {
    lines.push(`after ${formatGap(e.gap)}`);
  }
  if (e.channel) {
    lines.push(`channel ${e.channel}`);
  }
  if (e.category) {
    lines.push(`reason: ${e.category}${e.permanent === true ? ' (permanent)' : e.permanent === false ? ' (temporary)' : ''}`);
  }
  if (e.diagnostic) {
    // Long diagnostics wrap at 90 characters so the tooltip stays on screen.
    for (let i = 0; i < e.diagnostic.length && i < 600; i += 90) {
      lines.push(e.diagnostic.slice(i, i + 90));
    }
  }
  if (e.remoteHost || e.remoteIp) {
    lines.push(`remote ${e.remoteHost || ''}${e.remoteIp ? ` [${e.remoteIp}]` : ''}`);
  }
  if (e.smtpCode) {
    lines.push(`SMTP reply ${e.smtpCode}`);
  }
  return lines;
}

/**
 * Each recipient's row label: the address the sender gave, or where several share it (the members of a list, an alias
 * of several people) the address delivered to. Labels must differ: rows with the same label are one row to Chart.js.
 */
export function recipientLabels(recipients) {
  const given = recipients.map((r) => String(r.originalRecipient || r.recipient));
  const count = (list, s) => list.filter((x) => x === s).length;
  const labels = recipients.map((r, i) => (count(given, given[i]) > 1 ? String(r.recipient) : given[i]));
  return labels.map((l, i) => (count(labels.slice(0, i), l) > 0 ? `${l} (${count(labels.slice(0, i), l) + 1})` : l));
}

/** The chart's datasets from the message JSON of /api/messages/{id}. */
export function timelineData(message, maxRecipients = 25) {
  const recipients = message.recipients.slice(0, maxRecipients);
  const labels = recipientLabels(recipients);
  const marks = {};
  const waits = [];
  recipients.forEach((r, row) => {
    const label = labels[row];
    let previous = null;
    const add = (kind, event) => {
      (marks[kind] = marks[kind] || []).push({ ...event, kind, y: label });
      if (previous !== null && event.x > previous) {
        waits.push({ x: [previous, event.x], y: label, kind: 'waiting' });
      }
      previous = event.x;
    };
    (r.legs || []).forEach((l) => add('enqueued', { x: parseLocal(l.time), channel: `${l.from} → ${l.to}` }));
    // A relay channel's D that handed the recipient on is logged as delivered but is no delivery: a mark of its own.
    const kindOf = (a) => (a.handOff ? 'handed on' : OUTCOME_COLOURS[a.outcome] ? a.outcome : 'other');
    (r.attempts || []).forEach((a) => add(kindOf(a), {
      x: parseLocal(a.time), gap: a.gapSeconds,
      channel: a.handOff && a.handedOnTo ? `${a.channel} → ${a.handedOnTo}` : a.channel,
      category: a.category, permanent: a.permanent,
      diagnostic: a.diagnostic, remoteHost: a.remoteHost, remoteIp: a.remoteIp, smtpCode: a.smtpCode,
    }));
  });
  return { labels, marks, waits, truncated: message.recipients.length > recipients.length };
}

const STEPS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800]
  .map((s) => s * 1000);

/** A time axis on round steps (a minute, 15 minutes, an hour...) with at most about eight ticks. */
export function timeAxis(min, max) {
  const span = Math.max(max - min, 1000);
  const step = STEPS.find((s) => span / s <= 8) || STEPS[STEPS.length - 1];
  const lo = Math.floor((min - span * 0.02) / step) * step;
  const hi = Math.ceil((max + span * 0.02) / step) * step;
  return { min: lo, max: hi, step };
}

export async function drawTimeline(canvas) {
  const response = await fetch(canvas.dataset.messageUrl, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    canvas.dataset.state = 'failed';
    return;
  }
  const data = timelineData(await logJson(response));
  const all = Object.values(data.marks).flat().map((e) => e.x).filter((x) => !Number.isNaN(x));
  if (all.length === 0) {
    canvas.dataset.state = 'empty';
    return;
  }
  const min = Math.min(...all);
  const max = Math.max(...all);
  const axis = timeAxis(min, max);
  const spanDays = (axis.max - axis.min) > 86400000;
  const box = canvas.parentElement;
  box.style.height = `${Math.max(160, 70 + data.labels.length * 44)}px`;
  const datasets = [{
    type: 'bar', label: 'waiting', data: data.waits, backgroundColor: 'rgba(199,129,26,0.25)',
    borderColor: 'rgba(199,129,26,0.6)', borderWidth: 1, barPercentage: 0.35, categoryPercentage: 1,
  }];
  Object.entries(data.marks).forEach(([kind, events]) => {
    datasets.push({
      type: 'scatter', label: kind, data: events, backgroundColor: OUTCOME_COLOURS[kind] || OUTCOME_COLOURS.other,
      borderColor: '#fff', borderWidth: 1, pointRadius: 7, pointHoverRadius: 9,
      pointStyle: kind === 'enqueued' ? 'rect' : 'circle',
    });
  });
  const chart = new window.Chart(canvas, {
    type: 'bar',
    data: { labels: data.labels, datasets },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: { xAxisKey: 'x', yAxisKey: 'y' },
      scales: {
        x: {
          type: 'linear', min: axis.min, max: axis.max,
          ticks: { stepSize: axis.step, callback: (v) => formatTime(v, spanDays), maxRotation: 0, autoSkipPadding: 12 },
          title: { display: true, text: 'log time' },
        },
        // A label takes the width it needs from the plot: an address of 1,000 characters left it none.
        y: { type: 'category', labels: data.labels, offset: true, ticks: { callback: (v) => shorten(data.labels[v]) } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { filter: (item) => item.text !== 'waiting' } },
        tooltip: {
          callbacks: {
            title: () => '',
            label: (ctx) => {
              const e = ctx.raw;
              if (e.kind === 'waiting') {
                return `waiting ${formatGap((e.x[1] - e.x[0]) / 1000)}`;
              }
              return describe(e);
            },
          },
        },
      },
    },
  });
  canvas.chart = chart;
  canvas.dataset.state = 'drawn';
}
