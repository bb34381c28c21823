package dev.diffulab.core.snapshot;

import java.util.OptionalDouble;

/**
 * A validation measurement of a training run at {@code step}: what its family measures on held
 * out text, typed by family ({@link Bound} for masked diffusion, a {@link CrossEntropy} for
 * CDCD and the text autoencoder, a {@link MeanSquare} for a latent denoiser), so no field stands
 * for "not applicable".
 */
public record EvalPoint(String runId, int step, Measure measure)
    implements
      StreamItem,
      Background {

  /** A family's held-out measurement, as the Train chart and the command line show it. */
  public sealed interface Measure permits Bound, CrossEntropy, MeanSquare {
    /**
     * The held-out value the loss chart draws beside the training loss, in the loss's units (a
     * cross-entropy in nats; a denoiser's mean squared error).
     */
    double heldOut();

    /** A bound on the negative log-likelihood in nats per token, when the family has one. */
    OptionalDouble boundNats();

    /** The measurement in one line for the command line's log. */
    String describe();

    /** What a chart's legend calls the held-out line. */
    String label();
  }

  /**
   * Masked diffusion: MDLM's bound (negative ELBO) in bits per token, the perplexity bound it
   * implies, and the mean masked cross-entropy in nats.
   */
  public record Bound(double bitsPerToken, double pplBound, double maskedCeNats)
      implements
        Measure {
    @Override
    public double heldOut() {
      return maskedCeNats;
    }

    @Override
    public OptionalDouble boundNats() {
      return OptionalDouble.of(bitsPerToken * Math.log(2));
    }

    @Override
    public String label() {
      return "validation cross-entropy (masked)";
    }

    @Override
    public String describe() {
      return String.format("NELBO %.3f bits/token (ppl ≤ %.2f), masked CE %.3f nats",
          bitsPerToken, pplBound, maskedCeNats);
    }
  }

  /**
   * A held-out cross-entropy in nats with no bound beside it: CDCD's at σ_min, the lowest noise
   * it trains on; the text autoencoder's reconstruction, teacher-forced.
   *
   * @param of what it is the cross-entropy of, in words ("cross-entropy at sigma_min")
   */
  public record CrossEntropy(String of, double nats) implements Measure {
    @Override
    public double heldOut() {
      return nats;
    }

    @Override
    public OptionalDouble boundNats() {
      return OptionalDouble.empty();
    }

    @Override
    public String label() {
      return "validation " + of + " (nats)";
    }

    @Override
    public String describe() {
      return String.format("held-out %s %.3f nats", of, nats);
    }
  }

  /**
   * A denoiser's held-out mean squared error (latent diffusion's on ε), with no bound beside it.
   *
   * @param of what it is the error of, in words
   */
  public record MeanSquare(String of, double value) implements Measure {
    @Override
    public double heldOut() {
      return value;
    }

    @Override
    public OptionalDouble boundNats() {
      return OptionalDouble.empty();
    }

    @Override
    public String label() {
      return "validation " + of;
    }

    @Override
    public String describe() {
      return String.format("held-out %s %.4f", of, value);
    }
  }
}
