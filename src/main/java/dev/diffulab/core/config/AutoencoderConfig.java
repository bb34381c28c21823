package dev.diffulab.core.config;

/**
 * The text autoencoder, latent text diffusion's first stage (PLANNER, Zhang et al. 2023): how
 * many latent vectors a text becomes ({@code latents}, k), how wide each is
 * ({@code latent_dim}), and the standard deviation of the Gaussian noise added to a latent in
 * training ({@code latent_noise}), which keeps nearby latents decoding to nearby texts. The
 * encoder and the decoder each have {@code model.layers} blocks.
 *
 * <p>A latent-diffusion run ({@code method: latent}) trains this autoencoder for its first
 * {@code first_steps} steps (0: half the run), then freezes it and trains a Gaussian denoiser
 * over the latents for the rest: {@code diffusion_steps} steps of a {@code noise_schedule}
 * (cosine or linear), as the image family's. With {@code stage_schedules: shared} one
 * learning-rate schedule (warm-up, cosine decay to a tenth) spans the whole run and the denoiser
 * warms up again over its first 200 steps; with {@code separate} each stage has a schedule of its
 * own, so the autoencoder's learning rate has decayed by the time it is frozen however long the
 * denoiser's stage is.
 *
 * <p>On prompt → response pairs the run is an encoder–diffusion–decoder model (CodeFusion,
 * Singh et al. 2023): the autoencoder learns the responses, and the denoiser reads the prompt
 * by cross-attention; for a share {@code condition_dropout} of its training rows the prompt is
 * dropped, so sampling can use classifier-free guidance ({@code sampler.guidance}).
 */
public record AutoencoderConfig(int latents, int latentDim, double latentNoise, int firstSteps,
    int diffusionSteps, String noiseSchedule, double conditionDropout, String stageSchedules) {

  /** The forward processes a latent run can use. */
  public static final java.util.List<String> SCHEDULES = java.util.List.of("cosine", "linear");

  /** How the learning rate runs over a latent run's two stages. */
  public static final java.util.List<String> STAGE_SCHEDULES = java.util.List.of("shared",
      "separate");

  /**
   * The defaults: 8 vectors of 32, noise 0.1; half the run; 1,000 cosine steps; the prompt
   * dropped from 10 % of rows; one learning-rate schedule over both stages.
   */
  public static final AutoencoderConfig DEFAULT = new AutoencoderConfig(8, 32, 0.1, 0, 1000,
      "cosine", 0.1, "shared");

  /** Whether each stage of a latent run has a learning-rate schedule of its own. */
  public boolean separateSchedules() {
    return stageSchedules.equals("separate");
  }

  /** The steps a latent run of {@code runSteps} trains its autoencoder before the denoiser. */
  public int firstSteps(int runSteps) {
    return firstSteps > 0 ? firstSteps : runSteps / 2;
  }

  static AutoencoderConfig read(JsonFields f) {
    AutoencoderConfig c = new AutoencoderConfig(
        f.integer("latents", DEFAULT.latents(), 1, 256),
        f.integer("latent_dim", DEFAULT.latentDim(), 1, 4096),
        f.number("latent_noise", DEFAULT.latentNoise(), 0.0, 10.0),
        f.integer("first_steps", DEFAULT.firstSteps(), 0, 10_000_000),
        f.integer("diffusion_steps", DEFAULT.diffusionSteps(), 2, 100_000),
        f.choice("noise_schedule", DEFAULT.noiseSchedule(), SCHEDULES),
        f.number("condition_dropout", DEFAULT.conditionDropout(), 0.0, 0.99),
        f.choice("stage_schedules", DEFAULT.stageSchedules(), STAGE_SCHEDULES));
    f.finish();
    return c;
  }
}
