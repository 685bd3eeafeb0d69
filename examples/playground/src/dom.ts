/** Small DOM helpers. */

/** The element with this id, checked to be of the expected class (a typo fails loudly at start). */
export function byId<T extends Element>(id: string, type: abstract new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`page is missing #${id} (${type.name})`);
  return node;
}

/** Replaces a select's options with `values`, selecting `selected`. */
export function fillSelect(select: HTMLSelectElement, values: readonly string[], selected: string): void {
  select.replaceChildren(...values.map((v) => new Option(v, v, v === selected, v === selected)));
}

/** Shows `text` and keeps the exact value in `data-value` (what tests and scripts read). */
export function show(output: HTMLElement, value: number | string, text: string): void {
  output.textContent = text;
  output.dataset.value = String(value);
}
