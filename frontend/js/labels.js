// Text from logs can be of any length (a 300-character domain, a 1,000-character address): drawn in full, one label
// takes the chart's room. It is shortened for display only; tooltips keep it whole.

/** A label of at most 40 characters: its start and its end (the domain), the middle left out. */
export function shorten(label) {
  const text = String(label);
  return text.length <= 40 ? text : `${text.slice(0, 18)}…${text.slice(-21)}`;
}

// A right-to-left override (U+202E) in an address drew "moc.rekcah@nhoj" as "john@hacker.com", and a zero-width space
// let "adm\u200Bin@bank.example" pass for "admin@bank.example"; on a canvas as on the page (VisibleBidiControls), the
// directional controls and the characters that draw nothing are shown as [U+202E], [U+200B].
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060-\u2064\u061C\u00AD\u180E\uFEFF]/g;

/** The text with each such character written as [U+XXXX], so that it reads as it was logged. */
export function visible(text) {
  return String(text).replace(BIDI_CONTROLS,
    (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** A response's JSON with every string in it made visible: what the charts draw comes from the log. */
export async function logJson(response) {
  return JSON.parse(await response.text(), (key, value) => (typeof value === 'string' ? visible(value) : value));
}
