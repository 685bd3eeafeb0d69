/** Small DOM helpers. */

/** The element with this data-testid, checked to be of the expected class (a typo fails loudly at start). */
export function byTestId<T extends Element>(id: string, type: abstract new () => T, root: ParentNode = document): T {
  const node = root.querySelector(`[data-testid="${id}"]`);
  if (!(node instanceof type)) throw new Error(`page is missing [data-testid="${id}"] (${type.name})`);
  return node;
}

/** Replaces a select's options with `values` (value, text), selecting `selected`. */
export function fillSelect(select: HTMLSelectElement, values: readonly (readonly [string, string])[], selected: string): void {
  select.replaceChildren(...values.map(([v, text]) => new Option(text, v, v === selected, v === selected)));
}

/** Shows `text` and keeps the exact value in `data-value` (what tests and scripts read). */
export function show(output: HTMLElement, value: number | string, text: string): void {
  output.textContent = text;
  output.dataset.value = String(value);
}
