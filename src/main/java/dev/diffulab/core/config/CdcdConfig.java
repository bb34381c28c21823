package dev.diffulab.core.config;

/**
 * CDCD (Dieleman et al. 2022): the noise range, the time-warp fit and how often it is refitted, the
 * size of the window of recent (σ, cross-entropy) points it is fitted on, self-conditioning, and
 * the token embeddings that are diffused: their width ({@code embedding_dim}, 0 = the model's
 * {@code d_model}; a small width such as 16–64 is projected up to the model's) and how much faster
 * than the rest of the model they learn ({@code embedding_lr_scale}, a factor on the learning
 * rate), and the share of training noise levels drawn log-uniformly instead of through the warp
 * ({@code warp_uniform}): a floor under the warped density, so that no stretch of σ goes
 * untrained because an early fit found it flat; and the share of documents that get a random
 * subset of their positions given clean ({@code given_fraction}), which a sampler that commits
 * its surest positions part way down needs.
 */
public record CdcdConfig(
    double sigmaMin,
    double sigmaMax,
    WarpFit warpFit,
    int refitEvery,
    int warpWindow,
    boolean selfConditioning,
    int embeddingDim,
    double embeddingLrScale,
    double warpUniform,
    double givenFraction) {

  /** The default share of log-uniform draws under the warp. */
  public static final double DEFAULT_WARP_UNIFORM = 0.2;

  /** The defaults of the keys added after the first release: embeddings as wide as the model. */
  public CdcdConfig(double sigmaMin, double sigmaMax, WarpFit warpFit, int refitEvery,
      int warpWindow, boolean selfConditioning) {
    this(sigmaMin, sigmaMax, warpFit, refitEvery, warpWindow, selfConditioning, 0, 1.0,
        DEFAULT_WARP_UNIFORM);
  }

  /** As before {@code warp_uniform} existed: the default floor. */
  public CdcdConfig(double sigmaMin, double sigmaMax, WarpFit warpFit, int refitEvery,
      int warpWindow, boolean selfConditioning, int embeddingDim, double embeddingLrScale) {
    this(sigmaMin, sigmaMax, warpFit, refitEvery, warpWindow, selfConditioning, embeddingDim,
        embeddingLrScale, DEFAULT_WARP_UNIFORM);
  }

  /** As before {@code given_fraction} existed: no random given positions. */
  public CdcdConfig(double sigmaMin, double sigmaMax, WarpFit warpFit, int refitEvery,
      int warpWindow, boolean selfConditioning, int embeddingDim, double embeddingLrScale,
      double warpUniform) {
    this(sigmaMin, sigmaMax, warpFit, refitEvery, warpWindow, selfConditioning, embeddingDim,
        embeddingLrScale, warpUniform, 0.0);
  }

  /** The width of the diffused embeddings for a model {@code dModel} wide. */
  public int embeddingDim(int dModel) {
    return embeddingDim > 0 ? embeddingDim : dModel;
  }

  public CdcdConfig {
    if (sigmaMin >= sigmaMax) {
      throw ConfigException.at(
          "cdcd.sigma_min", "must be below cdcd.sigma_max (" + sigmaMin + " ≥ " + sigmaMax + ")");
    }
  }

  /** The monotone curve fitted to cross-entropy versus log σ. */
  public enum WarpFit implements ConfigName {
    /** The paper's binned fit made monotone by isotonic regression. */
    PIECEWISE("piecewise"),
    /** The seed reproduction's Cauchy-like CDF h·(atan((log σ − μ)/s)/π + ½) + c. */
    CAUCHY("cauchy");

    private final String id;

    WarpFit(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  static CdcdConfig read(JsonFields f) {
    CdcdConfig c = new CdcdConfig(
        f.number("sigma_min", 1.0, 1e-4, 1e4),
        f.number("sigma_max", 100.0, 1e-3, 1e5),
        ConfigName.parse(WarpFit.class, f.key("warp_fit"), f.string("warp_fit", "piecewise")),
        f.integer("refit_every", 25, 1, 1_000_000),
        f.integer("warp_window", 4096, 16, 10_000_000),
        f.bool("self_conditioning", false),
        f.integer("embedding_dim", 0, 0, 4096),
        f.number("embedding_lr_scale", 1.0, 0.01, 1000.0),
        f.number("warp_uniform", DEFAULT_WARP_UNIFORM, 0.0, 1.0),
        f.number("given_fraction", 0.0, 0.0, 1.0));
    f.finish();
    return c;
  }
}
