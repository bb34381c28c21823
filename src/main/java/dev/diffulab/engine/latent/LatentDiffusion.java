package dev.diffulab.engine.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.diffulab.core.config.ModelConfig;
import dev.diffulab.engine.gaussian.PatchTransformer;
import dev.diffulab.engine.model.VocabularyHead;
import java.util.ArrayList;
import java.util.List;

/**
 * Latent text diffusion's model (PLANNER, Zhang et al. 2023), one block so that one checkpoint
 * holds it whole: a {@link TextAutoencoder} (text → k latent vectors → text), a Gaussian
 * denoiser over the latents — the image family's {@link PatchTransformer}, the k × Z latent a
 * one-channel picture cut into rows of 1 × Z, so each latent vector is a token — and the
 * per-dimension mean and spread of the training latents, measured when the denoiser's stage
 * begins, which bring the latents to unit scale for diffusion.
 *
 * <p>Shapes: texts (B, T) with keep (B, T); latents (B, k, Z); the denoiser reads x_t as
 * (B, 1, k, Z) with t (B) float and returns its noise estimate in the same shape.
 */
public final class LatentDiffusion extends AbstractBlock implements VocabularyHead {
  private static final byte VERSION = 1;

  private final TextAutoencoder autoencoder;
  private final PatchTransformer denoiser;
  private final Parameter mean;
  private final Parameter spread;

  /**
   * @param config the width, depth (of each autoencoder half and of the denoiser), heads and
   *     longest text
   * @param special ids the decoder never writes
   */
  public LatentDiffusion(ModelConfig config, int vocab, boolean[] special, int latents,
      int latentDim) {
    super(VERSION);
    autoencoder = addChildBlock("autoencoder", new TextAutoencoder(config, vocab, special,
        latents, latentDim));
    denoiser = addChildBlock("denoiser", new PatchTransformer(config.dModel(), config.layers(),
        config.heads(), 1, latentDim, 0));
    mean = addParameter(Parameter.builder().setName("latent_mean")
        .setType(Parameter.Type.OTHER).optShape(new Shape(latentDim))
        .optInitializer(new ConstantInitializer(0f)).optRequiresGrad(false).build());
    spread = addParameter(Parameter.builder().setName("latent_spread")
        .setType(Parameter.Type.OTHER).optShape(new Shape(latentDim))
        .optInitializer(new ConstantInitializer(1f)).optRequiresGrad(false).build());
  }

  public TextAutoencoder autoencoder() {
    return autoencoder;
  }

  public PatchTransformer denoiser() {
    return denoiser;
  }

  /** The denoiser's parameters: what the second stage trains. */
  public List<Parameter> denoiserParameters() {
    List<Parameter> out = new ArrayList<>();
    denoiser.getParameters().forEach(p -> out.add(p.getValue()));
    return out;
  }

  /** The training latents' mean per dimension (Z): 0 until the denoiser's stage begins. */
  public NDArray mean() {
    return mean.getArray();
  }

  /** The training latents' standard deviation per dimension (Z): 1 until then. */
  public NDArray spread() {
    return spread.getArray();
  }

  /** Sets the statistics the latents are scaled by (each Z long). */
  public void setScale(float[] meanValues, float[] spreadValues) {
    mean.getArray().set(meanValues);
    spread.getArray().set(spreadValues);
  }

  /** Latents (B, k, Z) brought to unit scale for diffusion, as (B, 1, k, Z). */
  public NDArray toDiffusion(NDArray latent) {
    return latent.sub(mean()).div(spread()).expandDims(1);
  }

  /** Back from the diffusion's scale (B, 1, k, Z) to latents (B, k, Z), kept in (−1, 1). */
  public NDArray fromDiffusion(NDArray x) {
    return x.squeeze(1).mul(spread()).add(mean()).clip(-1f, 1f);
  }

  /** The denoiser's noise estimate for x_t (B, 1, k, Z) at steps t (B, float). */
  public NDArray predictNoise(ParameterStore ps, NDArray x, NDArray t, boolean training) {
    NDArray none = x.getManager().zeros(new Shape(x.getShape().get(0)), DataType.INT64);
    return denoiser.forward(ps, new NDList(x, t, none), training).head();
  }

  @Override
  public int vocab() {
    return autoencoder.vocab();
  }

  @Override
  public NDArray project(ParameterStore ps, NDArray h, boolean training) {
    return autoencoder.project(ps, h, training);
  }

  /** The autoencoder's reconstruction logits (B, T, V): the whole text through its latent. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return autoencoder.forward(ps, inputs, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return autoencoder.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    autoencoder.initialize(manager, dataType, inputShapes);
    denoiser.initialize(manager, dataType, new Shape(1, 1, autoencoder.latents(),
        autoencoder.latentDim()), new Shape(1), new Shape(1));
  }
}
