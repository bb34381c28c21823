package dev.diffulab.engine.masked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.diffulab.core.config.MaskingConfig.Weighting;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.engine.model.DenoiserModel;

/**
 * The masked-diffusion loss: cross-entropy of the denoiser's prediction at every masked position.
 * With weighting {@code none} it is the mean over masked tokens; with {@code elbo} it is MDLM's
 * continuous-time bound for the linear schedule, Σ_sequences (1/t) Σ_masked −log p / Σ tokens.
 */
public final class MaskedObjective {
  private MaskedObjective() {
  }

  /**
   * @param loss the scalar to minimise
   * @param maskedNll summed cross-entropy over each sequence's masked positions (B)
   * @param maskedCount masked positions per sequence (B)
   */
  public record Result(NDArray loss, NDArray maskedNll, NDArray maskedCount) {
  }

  public static Result compute(DenoiserModel model, NDManager m, MaskedBatch b,
      Weighting weighting, boolean training) {
    NDArray logits = model.logits(m, b.noisy(), b.keep(), training); // (B, T, V)
    NDArray logp = logits.logSoftmax(-1); // (B, T, V)
    NDArray targets = m.create(b.clean()).toType(DataType.INT64, false); // (B, T)
    NDArray nll = logp.mul(targets.oneHot(model.vocab())).sum(new int[]{-1}).neg(); // (B, T)
    NDArray masked = m.create(b.masked()); // (B, T)
    NDArray perSeq = nll.mul(masked).sum(new int[]{1}); // (B)
    NDArray count = masked.sum(new int[]{1}); // (B)
    NDArray loss = switch (weighting) {
      case NONE -> perSeq.sum().div(count.sum().maximum(1f)); // ()
      case ELBO -> perSeq.mul(m.create(b.weight())).sum() // ()
          .div(m.create(b.keep()).sum().maximum(1f)); // ()
    };
    return new Result(loss, perSeq, count);
  }
}
