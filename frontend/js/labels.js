// Text from logs can be of any length (a 300-character domain, a 1,000-character address): drawn in full, one label
// takes the chart's room. It is shortened for display only; tooltips keep it whole.

/** A label of at most 40 characters: its start and its end (the domain), the middle left out. */
export function shorten(label) {
  const text = String(label);
  return text.length <= 40 ? text : `${text.slice(0, 18)}…${text.slice(-21)}`;
}
