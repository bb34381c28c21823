package dev.diffulab.engine.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.diffulab.core.config.ModelConfig;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.Scalars;
import dev.diffulab.engine.model.TransformerBlock;
import dev.diffulab.engine.model.VocabularyHead;
import java.util.ArrayList;
import java.util.List;

/**
 * A text autoencoder in the manner of PLANNER's first stage (Zhang et al. 2023): a bidirectional
 * transformer encoder reads the text together with {@code k} learned query vectors, and the
 * queries' final states, projected to {@code latentDim} and bounded by tanh, are the text's
 * latent — k vectors whatever the text's length. A causal transformer decoder reads the latent
 * (projected back to the model width) as a prefix and writes the text left to right from it.
 * Both halves share the token embedding, which is also the output head. During training the
 * latent is perturbed by Gaussian noise so that nearby latents decode to nearby texts: the
 * smooth space a diffusion model over latents needs.
 *
 * <p>Shapes: text ids (B, T) with a padding mask (B, T); latent (B, k, latentDim); decoder
 * states (B, T, D), state j predicting token j.
 */
public final class TextAutoencoder extends AbstractBlock implements VocabularyHead {
  private static final byte VERSION = 1;

  private final ModelConfig config;
  private final int vocab;
  private final int latents;
  private final int latentDim;
  private final float[] forbidden;
  private final Parameter tokenEmbedding;
  private final Parameter encoderPositions;
  private final Parameter decoderPositions;
  private final Parameter queries;
  private final List<TransformerBlock> encoder = new ArrayList<>();
  private final List<TransformerBlock> decoder = new ArrayList<>();
  private final LayerNorm encoderNorm;
  private final LayerNorm decoderNorm;
  private final Linear toLatent;
  private final Linear fromLatent;
  private final Parameter outputBias;

  /**
   * @param config the width, depth (of each half), heads and longest text
   * @param special ids the decoder never writes
   * @param latents k, the latent vectors of a text
   * @param latentDim the width of each latent vector
   */
  public TextAutoencoder(ModelConfig config, int vocab, boolean[] special, int latents,
      int latentDim) {
    super(VERSION);
    this.config = config;
    this.vocab = vocab;
    this.latents = latents;
    this.latentDim = latentDim;
    this.forbidden = Denoiser.forbiddenBias(special);
    int d = config.dModel();
    tokenEmbedding = addParameter(weight("token_embedding", new Shape(vocab, d)));
    encoderPositions = addParameter(weight("encoder_positions", new Shape(latents
        + config.seqLen(), d)));
    decoderPositions = addParameter(weight("decoder_positions", new Shape(latents
        + config.seqLen(), d)));
    queries = addParameter(weight("queries", new Shape(latents, d)));
    for (int i = 0; i < config.layers(); i++) {
      encoder.add(addChildBlock("encoder" + i, new TransformerBlock(d, config.heads(),
          config.ffn())));
    }
    for (int i = 0; i < config.layers(); i++) {
      decoder.add(addChildBlock("decoder" + i, new TransformerBlock(d, config.heads(),
          config.ffn())));
    }
    encoderNorm = addChildBlock("encoder_norm", LayerNorm.builder().axis(2).build());
    decoderNorm = addChildBlock("decoder_norm", LayerNorm.builder().axis(2).build());
    toLatent = addChildBlock("to_latent", Linear.builder().setUnits(latentDim).build());
    fromLatent = addChildBlock("from_latent", Linear.builder().setUnits(d).build());
    outputBias = addParameter(Parameter.builder().setName("output_bias")
        .setType(Parameter.Type.BIAS).optShape(new Shape(vocab)).build());
  }

  private static Parameter weight(String name, Shape shape) {
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
        .build();
  }

  public ModelConfig config() {
    return config;
  }

  @Override
  public int vocab() {
    return vocab;
  }

  /** k, the latent vectors of a text. */
  public int latents() {
    return latents;
  }

  public int latentDim() {
    return latentDim;
  }

  /**
   * The latent of each text: (B, k, latentDim), every value in (−1, 1).
   *
   * @param ids token ids (B, T) int64
   * @param keep 1 for real tokens, 0 for padding (B, T) float32
   */
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray keep, boolean training) {
    NDManager m = ids.getManager();
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    NDArray e = ps.getValue(tokenEmbedding, ids.getDevice(), training); // (V, D)
    NDArray words = Embedding.embedding(ids, e, SparseFormat.DENSE).head(); // (B, T, D)
    NDArray q = ps.getValue(queries, ids.getDevice(), training).expandDims(0)
        .repeat(0, b); // (B, k, D)
    NDArray p = ps.getValue(encoderPositions, ids.getDevice(), training)
        .get("0:" + (latents + t)); // (k + T, D)
    NDArray x = q.concat(words, 1).add(p.expandDims(0)); // (B, k + T, D)
    NDArray open = m.ones(new Shape(b, latents), DataType.FLOAT32).concat(keep, 1); // (B, k+T)
    NDArray bias = Denoiser.keyBias(open); // (B, 1, 1, k + T)
    for (TransformerBlock block : encoder) {
      x = block.forward(ps, new NDList(x, bias), training).head(); // (B, k + T, D)
    }
    NDArray h = encoderNorm.forward(ps, new NDList(x), training).head()
        .get(":, 0:" + latents + ", :"); // (B, k, D)
    return toLatent.forward(ps, new NDList(h), training).head().tanh(); // (B, k, latentDim)
  }

  /**
   * The decoder's final states for texts {@code ids} (B, T) written after {@code latent}
   * (B, k, latentDim): state j (B, j, D) reads the latent and tokens 0 … j−1, and predicts token
   * j. Padding keys are hidden by {@code keep} (B, T).
   */
  public NDArray decode(ParameterStore ps, NDArray latent, NDArray ids, NDArray keep,
      boolean training) {
    NDManager m = ids.getManager();
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    NDArray prefix = fromLatent.forward(ps, new NDList(latent), training).head(); // (B, k, D)
    NDArray e = ps.getValue(tokenEmbedding, ids.getDevice(), training); // (V, D)
    // the tokens before each position: the last token is never read, nothing comes after it
    long n = latents + t - 1;
    NDArray p = ps.getValue(decoderPositions, ids.getDevice(), training).get("0:" + n); // (n, D)
    NDArray x = prefix; // (B, k, D)
    NDArray open = m.ones(new Shape(b, latents), DataType.FLOAT32); // (B, k)
    if (t > 1) {
      NDArray before = ids.get(":, 0:" + (t - 1)); // (B, T − 1)
      x = x.concat(Embedding.embedding(before, e, SparseFormat.DENSE).head(), 1); // (B, n, D)
      open = open.concat(keep.get(":, 0:" + (t - 1)), 1); // (B, n)
    }
    x = x.add(p.expandDims(0)); // (B, k + T − 1, D)
    NDArray bias = Denoiser.keyBias(open).add(Denoiser.causalBias(m, n)); // (B, 1, n, n)
    for (TransformerBlock block : decoder) {
      x = block.forward(ps, new NDList(x, bias), training).head(); // (B, n, D)
    }
    // the state at the latent's last vector predicts token 0, the one at token j − 1 token j
    return decoderNorm.forward(ps, new NDList(x), training).head()
        .get(":, " + (latents - 1) + ":, :"); // (B, T, D)
  }

  /** Gaussian noise of standard deviation {@code sigma} added to a latent (training only). */
  public static NDArray perturb(NDArray latent, double sigma) {
    if (sigma <= 0) {
      return latent;
    }
    NDArray noise = latent.getManager().randomNormal(latent.getShape()); // (B, k, latentDim)
    return latent.add(Scalars.mul(noise, (float) sigma));
  }

  @Override
  public NDArray project(ParameterStore ps, NDArray h, boolean training) {
    NDManager m = h.getManager();
    NDArray logits = h.matMul(ps.getValue(tokenEmbedding, h.getDevice(), training)
        .transpose()); // (…, V)
    NDArray bias = ps.getValue(outputBias, h.getDevice(), training).add(m.create(forbidden));
    return logits.add(bias); // (…, V)
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0); // (B, T)
    NDArray keep = inputs.get(1); // (B, T)
    NDArray latent = encode(ps, ids, keep, training);
    return new NDList(project(ps, decode(ps, latent, ids, keep, training), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[]{new Shape(ids.get(0), ids.get(1), vocab)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    Shape ids = inputShapes[0];
    long b = ids.get(0);
    long n = latents + ids.get(1);
    Shape x = new Shape(b, n, config.dModel());
    Shape bias = new Shape(b, 1, n, n);
    for (TransformerBlock block : encoder) {
      block.initialize(manager, dataType, x, bias);
    }
    for (TransformerBlock block : decoder) {
      block.initialize(manager, dataType, x, bias);
    }
    encoderNorm.initialize(manager, dataType, x);
    decoderNorm.initialize(manager, dataType, x);
    toLatent.initialize(manager, dataType, new Shape(b, latents, config.dModel()));
    fromLatent.initialize(manager, dataType, new Shape(b, latents, latentDim));
  }
}
