package dev.diffulab.core.config;

/**
 * The text autoencoder, latent text diffusion's first stage (PLANNER, Zhang et al. 2023): how
 * many latent vectors a text becomes ({@code latents}, k), how wide each is
 * ({@code latent_dim}), and the standard deviation of the Gaussian noise added to a latent in
 * training ({@code latent_noise}), which keeps nearby latents decoding to nearby texts. The
 * encoder and the decoder each have {@code model.layers} blocks.
 */
public record AutoencoderConfig(int latents, int latentDim, double latentNoise) {

  /** The defaults: 8 vectors of 32, noise 0.1. */
  public static final AutoencoderConfig DEFAULT = new AutoencoderConfig(8, 32, 0.1);

  static AutoencoderConfig read(JsonFields f) {
    AutoencoderConfig c = new AutoencoderConfig(
        f.integer("latents", DEFAULT.latents(), 1, 256),
        f.integer("latent_dim", DEFAULT.latentDim(), 1, 4096),
        f.number("latent_noise", DEFAULT.latentNoise(), 0.0, 10.0));
    f.finish();
    return c;
  }
}
