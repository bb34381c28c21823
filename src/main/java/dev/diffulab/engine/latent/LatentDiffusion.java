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
 * <p>A conditional model (CodeFusion, Singh et al. 2023: encoder, diffusion, decoder) also has
 * a {@link ConditionEncoder} that reads the input text — the story a summary is of — and the
 * denoiser reads its states by cross-attention in every block. The condition is dropped (its
 * states zeroed) for a share of training rows, so the same denoiser also learns the texts
 * without one and sampling can use classifier-free guidance.
 *
 * <p>Shapes: texts (B, T) with keep (B, T); latents (B, k, Z); the denoiser reads x_t as
 * (B, 1, k, Z) with t (B) float and returns its velocity estimate v̂ in the same shape.
 */
public final class LatentDiffusion extends AbstractBlock implements VocabularyHead {
  private static final byte VERSION = 1;

  private final TextAutoencoder autoencoder;
  private final PatchTransformer denoiser;
  private final ConditionEncoder condition;
  private final Parameter mean;
  private final Parameter spread;

  /**
   * An encoded condition: the encoder's states (B, S, D) and their key bias (B, 1, 1, S).
   */
  public record Condition(NDArray states, NDArray bias) {
    /** The rows whose {@code kept} (B, float) is 0 with their states zeroed: no condition. */
    public Condition keepRows(NDArray kept) {
      return new Condition(states.mul(kept.reshape(kept.getShape().get(0), 1, 1)), bias);
    }

    /** The same rows without a condition (every state zero). */
    public Condition none() {
      return new Condition(states.zerosLike(), bias);
    }

    /** These rows, then {@code other}'s: a batch of both. */
    public Condition concat(Condition other) {
      return new Condition(states.concat(other.states, 0), bias.concat(other.bias, 0));
    }
  }

  /**
   * @param config the width, depth (of each autoencoder half, of the denoiser and of the
   *     condition's encoder), heads and longest text
   * @param special ids the decoder never writes
   * @param conditional whether the denoiser reads an input text (CodeFusion) or none (PLANNER)
   */
  public LatentDiffusion(ModelConfig config, int vocab, boolean[] special, int latents,
      int latentDim, boolean conditional) {
    super(VERSION);
    autoencoder = addChildBlock("autoencoder", new TextAutoencoder(config, vocab, special,
        latents, latentDim));
    denoiser = addChildBlock("denoiser", new PatchTransformer(config.dModel(), config.layers(),
        config.heads(), 1, latentDim, 0, conditional));
    condition = conditional
        ? addChildBlock("condition", new ConditionEncoder(config, vocab))
        : null;
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

  /** Whether the denoiser reads an input text. */
  public boolean isConditional() {
    return condition != null;
  }

  /** The denoiser's parameters, and the condition's encoder's: what the second stage trains. */
  public List<Parameter> denoiserParameters() {
    List<Parameter> out = new ArrayList<>();
    denoiser.getParameters().forEach(p -> out.add(p.getValue()));
    if (condition != null) {
      condition.getParameters().forEach(p -> out.add(p.getValue()));
    }
    return out;
  }

  /**
   * The input texts {@code ids} (B × S, padding where {@code keep} is 0) read by the condition's
   * encoder.
   */
  public Condition encodeCondition(ParameterStore ps, NDManager m, int[][] ids, float[][] keep,
      boolean training) {
    if (condition == null) {
      throw new IllegalStateException("this latent diffusion model reads no input text");
    }
    NDArray open = m.create(keep); // (B, S)
    NDArray states = condition.forward(ps, new NDList(m.create(ids).toType(DataType.INT64,
        false), open), training).head(); // (B, S, D)
    return new Condition(states, dev.diffulab.engine.model.Denoiser.keyBias(open));
  }

  /**
   * The latents of texts {@code ids} (B × T, {@code keep} 1 at real tokens) as the frozen
   * encoder writes them, at the diffusion's scale: (B, 1, k, Z).
   */
  public NDArray diffusionLatents(ParameterStore ps, NDManager m, int[][] ids, float[][] keep) {
    return toDiffusion(autoencoder.encode(ps, m.create(ids).toType(DataType.INT64, false),
        m.create(keep), false));
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

  /**
   * The denoiser's velocity estimate v̂ for x_t (B, 1, k, Z) at steps t (B, float):
   * v = √ᾱ_t·ε − √(1 − ᾱ_t)·x₀ (Salimans &amp; Ho 2022), from which x̂₀ = √ᾱ_t·x_t − √(1 − ᾱ_t)·v̂
   * and ε̂ = √(1 − ᾱ_t)·x_t + √ᾱ_t·v̂. Unlike ε, v asks for x₀ itself where the noise is
   * high — where only the condition can say what the text is.
   */
  public NDArray predictVelocity(ParameterStore ps, NDArray x, NDArray t, boolean training) {
    return predictVelocity(ps, x, t, null, training);
  }

  /**
   * As above, reading {@code condition} (a conditional model's; null there: no condition,
   * what guidance's unconditional pass asks).
   */
  public NDArray predictVelocity(ParameterStore ps, NDArray x, NDArray t, Condition given,
      boolean training) {
    NDManager m = x.getManager();
    long b = x.getShape().get(0);
    NDArray none = m.zeros(new Shape(b), DataType.INT64);
    NDList inputs = new NDList(x, t, none);
    if (condition != null) {
      Condition c = given != null
          ? given
          : new Condition(m.zeros(new Shape(b, 1, denoiserWidth())), m.zeros(new Shape(b, 1, 1,
              1)));
      inputs.add(c.states());
      inputs.add(c.bias());
    }
    return denoiser.forward(ps, inputs, training).head();
  }

  private long denoiserWidth() {
    return autoencoder.config().dModel();
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
    Shape x = new Shape(1, 1, autoencoder.latents(), autoencoder.latentDim());
    if (condition == null) {
      denoiser.initialize(manager, dataType, x, new Shape(1), new Shape(1));
      return;
    }
    long s = inputShapes[0].get(1);
    condition.initialize(manager, dataType, new Shape(1, s), new Shape(1, s));
    denoiser.initialize(manager, dataType, x, new Shape(1), new Shape(1),
        new Shape(1, s, denoiserWidth()), new Shape(1, 1, 1, s));
  }
}
