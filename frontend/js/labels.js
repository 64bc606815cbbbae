// Text from logs can be of any length (a 300-character domain, a 1,000-character address): drawn in full, one label
// takes the chart's room. It is shortened for display only; tooltips keep it whole.

/** A label of at most 40 characters: its start and its end (the domain), the middle left out. */
export function shorten(label) {
  const text = String(label);
  return text.length <= 40 ? text : `${text.slice(0, 18)}…${text.slice(-21)}`;
}

// A right-to-left override (U+202E) in an address drew "moc.rekcah@nhoj" as "john@hacker.com"; on a canvas as on the
// page (VisibleBidiControls), the directional embedding, override and isolate controls are shown as [U+202E].
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** The text with each directional control written as [U+XXXX], so that it reads in the order it was logged. */
export function visible(text) {
  return String(text).replace(BIDI_CONTROLS, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase()}]`);
}

/** A response's JSON with every string in it made visible: what the charts draw comes from the log. */
export async function logJson(response) {
  return JSON.parse(await response.text(), (key, value) => (typeof value === 'string' ? visible(value) : value));
}
