package dev.diffulab.core.config;

/**
 * CDCD (Dieleman et al. 2022): the noise range, the time-warp fit and how often it is refitted, the
 * size of the window of recent (σ, cross-entropy) points it is fitted on, and self-conditioning.
 */
public record CdcdConfig(
    double sigmaMin,
    double sigmaMax,
    WarpFit warpFit,
    int refitEvery,
    int warpWindow,
    boolean selfConditioning) {

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
        f.bool("self_conditioning", false));
    f.finish();
    return c;
  }
}
