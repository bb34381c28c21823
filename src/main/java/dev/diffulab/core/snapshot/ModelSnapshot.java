package dev.diffulab.core.snapshot;

/**
 * The model the Masking and Denoise workspaces use: where it came from and what it is.
 *
 * @param source a checkpoint directory or a run name
 * @param method "masked" or "cdcd"
 * @param summary one line: size, steps trained, corpus
 * @param sigmaMin for CDCD, the smallest noise level (0 otherwise)
 * @param sigmaMax for CDCD, the largest noise level (0 otherwise)
 * @param curveX mask ratios (masked) or noise levels σ (CDCD) at which the model was measured
 * @param curveY its cross-entropy there, in nats, on stories it did not train on
 * @param sigmaGrid CDCD: the warped sampling grid σ_0 = σ_max … σ_K = σ_min (empty otherwise)
 */
public record ModelSnapshot(String source, String method, String summary, int seqLen,
    String defaultSampler, double sigmaMin, double sigmaMax, double[] curveX, double[] curveY,
    double[] sigmaGrid) implements Snapshot {

  public boolean cdcd() {
    return method.equals("cdcd");
  }
}
