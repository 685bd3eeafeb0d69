/** The options both MNIST examples' `run()` take (examples/mnist and examples/mnist-cnn). */
export interface DigitRunOptions {
  /** Training samples, of which `validationFraction` are held out for validation (default 8000). */
  trainSize?: number;
  /** Test samples, evaluated once at the end (default 2000). */
  testSize?: number;
  validationFraction?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  /** No output at all. */
  quiet?: boolean;
  /** Where to write `<example>-curves.svg` and `<example>-model.json` (mnist or mnist-cnn); nothing is written without it. */
  outDir?: string;
  /** Also write the trained network as an ONNX model (float32, logits out) to this file, for ONNX Runtime. */
  onnx?: string;
}
