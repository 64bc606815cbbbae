// Upload page: every chosen (or dropped) file is sent on its own request, so each has its own upload progress and
// its own job to follow; then the job is polled until it is read. Everything the server says (names, errors, log
// lines) is put in with textContent: log text is untrusted.

import { visible } from './labels.js';

const POLL_MS = 500;
/** Failed polls in a row before giving up on a job (a restart forgets jobs; a blip should not). */
const POLL_RETRIES = 10;
const numbers = new Intl.NumberFormat('en');

/** Small element builder: el('td', {className: 'num'}, '42'). Children are strings (as text) or nodes. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node[key] = value;
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

export function formatBytes(n) {
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The "error" of a JSON error body, or what the status line says when the body is not ours (a proxy's page). */
export function errorMessage(status, statusText, body) {
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.error === 'string' && parsed.error) {
      return parsed.error;
    }
  } catch (e) {
    // not JSON: fall through
  }
  return status ? `the server answered ${status} ${statusText}`.trim() : 'the connection to Mailtrail was lost';
}

function setBadge(badge, state) {
  badge.className = `badge state-${state}`;
  badge.textContent = state;
}

/** A figure as the dashboard's .kpi boxes show one, as a term and its value. */
function figure(label, value) {
  return el('div', { className: 'kpi' }, el('dt', { className: 'label' }, label),
    el('dd', { className: 'value', dataset: { figure: label } }, numbers.format(value)));
}

function rejectionTable(f) {
  const rows = f.rejections.map((r) => el('tr', {},
    el('td', { className: 'num' }, numbers.format(r.line)),
    el('td', {}, r.reason),
    el('td', { className: 'mono' }, r.text)));
  const caption = f.rejected > f.rejections.length
    ? `Rejected lines: the first ${f.rejections.length} of ${numbers.format(f.rejected)}`
    : 'Rejected lines';
  return el('div', { className: 'table-wrap' }, el('table', { className: 'rejections' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', className: 'num' }, 'Line'),
      el('th', { scope: 'col' }, 'Reason'), el('th', { scope: 'col' }, 'Text'))),
    el('tbody', {}, ...rows)));
}

/** One file's card: upload bar, reading bar, then the summary. */
class FileCard {
  constructor(file, results, links) {
    this.links = links;
    this.size = file.size;
    this.badge = el('span', { className: 'badge state-waiting' }, 'waiting');
    this.uploadBar = el('progress', { className: 'upload-progress', max: Math.max(file.size, 1), value: 0 });
    this.uploadText = el('span', { className: 'bar-text' }, `0 of ${formatBytes(file.size)}`);
    this.readBar = el('progress', { className: 'ingest-progress', max: 1, value: 0 });
    this.readText = el('span', { className: 'bar-text' }, 'after the upload');
    this.summary = el('div', { className: 'upload-summary', hidden: true });
    this.node = el('section', { className: 'card upload-item', dataset: { state: 'waiting' } },
      el('h2', { className: 'upload-title' }, el('span', { className: 'upload-name mono' }, file.name), ' ',
        this.badge),
      el('div', { className: 'bar' }, el('label', {}, 'Upload', this.uploadBar), this.uploadText),
      el('div', { className: 'bar' }, el('label', {}, 'Reading', this.readBar), this.readText),
      this.summary);
    results.append(this.node);
  }

  state(state) {
    this.node.dataset.state = state;
    setBadge(this.badge, state);
  }

  /** Progress events count the whole request; the text speaks of the file, without the multipart wrapping. */
  uploaded(loaded, total) {
    if (total > 0) {
      this.uploadBar.max = total;
      this.uploadBar.value = loaded;
      const size = this.size;
      this.uploadText.textContent = `${formatBytes(Math.min(size, Math.round((loaded / total) * size)))} of `
        + `${formatBytes(size)}`;
    } else {
      this.uploadBar.removeAttribute('value'); // size unknown: an indeterminate bar
    }
  }

  reading(f) {
    this.readBar.max = Math.max(f.bytesTotal, 1);
    this.readBar.value = f.bytesRead;
    this.readText.textContent = f.state === 'queued' ? 'waiting for earlier uploads to be read'
      : `${numbers.format(f.entries)} entries · ${numbers.format(Math.round(f.entriesPerSecond))} entries/s · `
        + `${numbers.format(f.rejected)} rejected`;
  }

  /** The end: figures, error, rejected lines, where to look next. data-state on the summary is for tests. */
  finish(state, f, error, sourceId) {
    this.state(state);
    const s = this.summary;
    s.replaceChildren();
    if (f) {
      s.append(el('dl', { className: 'kpis upload-figures' },
        figure('entries', f.entries), figure('messages', f.messages),
        figure('duplicates', f.duplicates), figure('rejected', f.rejected)));
    }
    if (!f) {
      this.readText.textContent = 'not read';
    }
    if (error) {
      s.append(el('p', { className: 'error upload-error', role: 'alert' }, error));
    }
    // Lines over 64 KiB are stored cut: the server's sentence, with the first line numbers, so that an admin knows
    // which raw lines shown are not whole (the Sources page says the same beside the file).
    if (f && f.cut > 0 && f.cutNote) {
      s.append(el('p', { className: 'upload-cut', dataset: { cut: f.cut } }, f.cutNote));
    }
    if (f && f.rejections && f.rejections.length) {
      s.append(rejectionTable(f));
    }
    if (f && state === 'done') {
      const just = Number.isInteger(sourceId)
        ? el('a', { href: `${this.links.search}?source=${encodeURIComponent(sourceId)}`, className: 'just-loaded' },
          'the messages just loaded')
        : 'the messages';
      s.append(el('p', { className: 'upload-next' }, 'See ', just, ', the ',
        el('a', { href: this.links.dashboard }, 'dashboard'), ', and this file among all loaded on ',
        el('a', { href: this.links.sources }, 'Sources'), '.'));
    }
    s.hidden = false;
    s.dataset.state = state;
  }
}

/** POSTs one file; resolves with the parsed 202 body, rejects with an Error carrying the server's message. */
function send(url, file, card) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => card.uploaded(e.loaded, e.lengthComputable ? e.total : 0));
    xhr.addEventListener('load', () => {
      if (xhr.status === 202) {
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch (e) {
          reject(new Error('the server took the file but its answer was not understood'));
        }
      } else {
        reject(new Error(errorMessage(xhr.status, xhr.statusText, xhr.responseText)));
      }
    });
    xhr.addEventListener('error', () => reject(new Error('the upload was interrupted (network error)')));
    xhr.addEventListener('abort', () => reject(new Error('the upload was cancelled')));
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Sends the file; resolves with the job id, or null when the upload was refused (the card then says why). */
async function uploadOne(url, file, card) {
  card.state('uploading');
  try {
    const accepted = await send(url, file, card);
    card.uploaded(1, 1);
    card.state('queued');
    return accepted.id;
  } catch (e) {
    card.finish('failed', null, e.message);
    return null;
  }
}

/** Polls the job until it is done or failed; each round moves the reading bar. */
async function follow(statusUrl, card) {
  let failures = 0;
  for (;;) {
    let job;
    try {
      const response = await fetch(statusUrl, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const text = await response.text();
      if (!response.ok) {
        // 404: the job is gone (a restart); polling again will not bring it back.
        throw Object.assign(new Error(errorMessage(response.status, response.statusText, text)),
          { final: response.status === 404 });
      }
      // the job's rejected lines are log text, shown with their directional controls as codes (labels.js)
      job = JSON.parse(text, (key, value) => (typeof value === 'string' ? visible(value) : value));
      failures = 0;
    } catch (e) {
      failures += 1;
      if (e.final || failures >= POLL_RETRIES) {
        card.finish('failed', null, `Cannot follow the reading: ${e.message}`);
        return;
      }
      await sleep(POLL_MS * 2);
      continue;
    }
    const f = job.files[0]; // one file per request, so the job holds just this one
    card.state(f.state);
    card.reading(f);
    if (job.state === 'done' || job.state === 'failed') {
      card.finish(f.state === 'done' ? 'done' : 'failed', f, f.error || job.error, job.sourceId);
      return;
    }
    await sleep(POLL_MS);
  }
}

function showChosen(list, files) {
  list.replaceChildren(...Array.from(files, (f) => el('li', {},
    el('span', { className: 'mono' }, f.name), ' ', el('span', { className: 'hint' }, formatBytes(f.size)))));
  list.hidden = files.length === 0;
}

export function startUpload(root) {
  const form = root.querySelector('#upload-form');
  if (!form) {
    return;
  }
  const input = form.querySelector('#upload-files');
  const drop = form.querySelector('#upload-drop');
  const chosen = form.querySelector('#upload-chosen');
  const formError = form.querySelector('#upload-form-error');
  const results = root.querySelector('#upload-results');

  input.addEventListener('change', () => {
    formError.hidden = true;
    showChosen(chosen, input.files);
  });

  // Dropped files go into the input, so there is one list of chosen files whichever way they came. The whole page
  // takes drops: a file let go beside the zone would otherwise make the browser leave the page to show it.
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  document.addEventListener('dragover', (e) => {
    if (hasFiles(e)) {
      e.preventDefault();
      drop.classList.add('dragging');
    }
  });
  document.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) { // left the window, not just moved onto another element
      drop.classList.remove('dragging');
    }
  });
  document.addEventListener('drop', (e) => {
    drop.classList.remove('dragging');
    if (hasFiles(e)) {
      e.preventDefault();
      input.files = e.dataTransfer.files;
      input.dispatchEvent(new Event('change'));
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const files = Array.from(input.files);
    if (!files.length) {
      formError.textContent = 'Choose at least one log file first.';
      formError.hidden = false;
      input.focus();
      return;
    }
    form.reset(); // the files are taken: the form is free for the next ones
    showChosen(chosen, []);
    // Every card at once, so each file is seen waiting; then one upload at a time (the files share the line, and
    // the server reads one job at a time anyway), each file's reading followed while the next one uploads.
    const links = {
      dashboard: form.dataset.dashboardUrl, sources: form.dataset.sourcesUrl, search: form.dataset.searchUrl,
    };
    const cards = files.map((file) => new FileCard(file, results, links));
    results.dataset.state = 'busy';
    const following = [];
    for (let i = 0; i < files.length; i += 1) {
      const id = await uploadOne(form.action, files[i], cards[i]);
      if (id) {
        following.push(follow(form.dataset.statusUrl + encodeURIComponent(id), cards[i]));
      }
    }
    await Promise.all(following);
    // Another batch may have been started meanwhile: done only when no card is still going.
    if (!results.querySelector('.upload-item:not([data-state=done]):not([data-state=failed])')) {
      results.dataset.state = 'done';
    }
  });
}
