package dev.diffulab.engine.masked;

import ai.djl.ndarray.NDArray;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.MaskingConfig.Weighting;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;

/**
 * The masked-diffusion loss: cross-entropy of the denoiser's prediction at every masked position.
 * With weighting {@code none} it is the mean over masked tokens; with {@code elbo} it is MDLM's
 * continuous-time bound for the linear schedule, Σ_documents (1/t) Σ_masked −log p / Σ tokens
 * not given (a prompt or a locked prefix is given).
 * The output head runs at the masked positions only ({@link TokenCrossEntropy}). In a packed batch
 * every document is its own sequence: its own ratio, weight and per-sequence sums.
 */
public final class MaskedObjective {
  private MaskedObjective() {
  }

  /**
   * @param loss the scalar to minimise
   * @param maskedNll summed cross-entropy over each document's masked positions (D)
   * @param maskedCount masked positions per document (D)
   */
  public record Result(NDArray loss, NDArray maskedNll, NDArray maskedCount) {
  }

  public static Result compute(DenoiserModel<Denoiser> model, NDManager m, MaskedBatch b,
      Weighting weighting, boolean training) {
    return compute(model, m, b, weighting, training, normalizer(b, weighting));
  }

  /**
   * What the summed loss of {@code b} is divided by: its masked positions (weighting
   * {@code none}) or the real tokens it could mask ({@code elbo}: not a pair's prompt or a
   * locked prefix, which the model is given). A step run in groups divides every group's
   * loss by the whole step's, so the groups' gradients add up to the whole batch's.
   */
  public static float normalizer(MaskedBatch b, Weighting weighting) {
    return Math.max(1, switch (weighting) {
      case NONE -> b.maskedCount();
      case ELBO -> b.scorableTokens();
    });
  }

  /** As above, the summed loss divided by {@code normalizer} (see {@link #normalizer}). */
  public static Result compute(DenoiserModel<Denoiser> model, NDManager m, MaskedBatch b,
      Weighting weighting, boolean training, float normalizer) {
    int batch = b.documents();
    NDArray h = model.block().hidden(model.store(), m, b.noisy(), b.segment(), training); // (B, T, D)
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(b.masked(), b.clean(),
        b.document());
    float[] count = new float[batch];
    for (int s : rows.sequence()) {
      count[s]++;
    }
    if (rows.size() == 0) {
      // nothing masked in the whole batch: a zero loss that still reaches the parameters
      NDArray zero = Scalars.mul(h.sum(), 0f); // ()
      return new Result(zero, m.zeros(new ai.djl.ndarray.types.Shape(batch)), m.create(count));
    }
    NDArray nll = TokenCrossEntropy.nll(model.head(), model.store(), h, rows, training); // (N)
    NDArray perSeq = TokenCrossEntropy.perSequence(nll, rows, batch); // (D)
    NDArray loss = switch (weighting) {
      case NONE -> Scalars.div(nll.sum(), normalizer); // ()
      case ELBO -> Scalars.div(perSeq.mul(m.create(b.weight())).sum(), normalizer); // ()
    };
    return new Result(loss, perSeq, m.create(count));
  }
}
