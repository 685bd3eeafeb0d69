/** A shape: the length of each axis, outermost first. `[]` is a 0-d scalar. */
export type Shape = readonly number[];

/** A nested JavaScript array of numbers, e.g. `[[1, 2], [3, 4]]`. */
export type Nested = number | Nested[];
