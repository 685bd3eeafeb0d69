// `console.log(x); // prints: ...` in a doc block becomes a call to this check (see extract.mjs).
declare global {
  function __docsExpect(where: string, expected: string): void;
}
export {};
