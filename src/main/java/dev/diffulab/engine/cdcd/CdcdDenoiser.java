package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDArray;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.diffulab.core.config.ModelConfig;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.Layout;
import dev.diffulab.engine.model.TransformerBlock;
import dev.diffulab.engine.model.VocabularyHead;
import java.util.ArrayList;
import java.util.List;

/**
 * The CDCD denoiser (Dieleman et al. 2022) on the shared transformer blocks. Token embeddings are
 * L2-normalised and scaled by √d, so every element has unit variance and σ means the same for
 * every token. The input is preconditioned as in Karras et al. 2022: noisy positions are scaled by
 * c_in(σ) = 1/√(1+σ²); the noise level enters every block through Fourier features of
 * c_noise(σ) = ln σ / 4. Default choice, and why: the Karras preconditioning keeps the input at
 * unit variance at every σ with no learned modulation, which trains stably on a CPU; the seed
 * reproduction's learned modulation is not offered. Given (prompt) positions stay clean and a
 * learned "given" vector marks them. The output is logits over the vocabulary.
 *
 * <p>The diffused embeddings may be narrower than the model (E &lt; D, as in Plaid's 16-wide
 * embeddings): a learned projection then takes the preconditioned input from E to D. Narrow
 * embeddings make the denoising problem smaller and the noise levels easier to learn across.
 *
 * <p>Inputs: x (B, T, E) noisy embeddings, σ (B, 1, 1), given (B, T, 1), keep (B, T), and with
 * self-conditioning the previous estimate x̂₀ (B, T, E) (zeros when there is none). Output: logits
 * (B, T, V).
 */
public final class CdcdDenoiser extends AbstractBlock implements VocabularyHead {
  private static final byte VERSION = 1;
  static final int FOURIER = 8;

  private final ModelConfig config;
  private final int vocab;
  private final int embeddingDim;
  private final float[] forbidden;
  private final Parameter embedding;
  private final Parameter positions;
  /** Distance-to-the-end vectors (model.end_positions), or null. */
  private final Parameter endPositions;
  private final Parameter givenVector;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final List<Linear> noiseIn = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear head;
  /** Projects the previous estimate x̂₀ into the input when self-conditioning; else null. */
  private final Linear selfCondition;
  /** Projects the E-wide input up to the model's D when E &lt; D; else null. */
  private final Linear inputProjection;

  /** @param embeddingDim the width E of the diffused embeddings (≤ 0: the model's D) */
  public CdcdDenoiser(ModelConfig config, int vocab, boolean[] special,
      boolean selfConditioning, int embeddingDim) {
    super(VERSION);
    this.config = config;
    this.vocab = vocab;
    this.forbidden = Denoiser.forbiddenBias(special);
    int d = config.dModel();
    this.embeddingDim = embeddingDim > 0 ? embeddingDim : d;
    embedding = addParameter(Parameter.builder().setName("embedding")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(vocab, this.embeddingDim)).build());
    positions = addParameter(Parameter.builder().setName("positions")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.seqLen(), d)).build());
    endPositions = config.endPositions()
        ? addParameter(Parameter.builder().setName("end_positions")
            .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.seqLen(), d)).build())
        : null;
    givenVector = addParameter(Parameter.builder().setName("given")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(d)).build());
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("block" + i, new TransformerBlock(d, config.heads(),
          config.ffn())));
      noiseIn.add(addChildBlock("noise" + i, Linear.builder().setUnits(d).build()));
    }
    finalNorm = addChildBlock("final_norm", LayerNorm.builder().axis(2).build());
    head = addChildBlock("head", Linear.builder().setUnits(vocab).build());
    selfCondition = selfConditioning
        ? addChildBlock("self_condition", Linear.builder().setUnits(d).optBias(false).build())
        : null;
    inputProjection = this.embeddingDim != d
        ? addChildBlock("input_projection", Linear.builder().setUnits(d).optBias(false).build())
        : null;
  }

  /** A CDCD denoiser on normalised embeddings, its parameters initialised on a device. */
  public static dev.diffulab.engine.model.DenoiserModel<CdcdDenoiser> model(ModelConfig config,
      dev.diffulab.core.config.CdcdConfig cdcd, int vocab, boolean[] special,
      NDManager parent, long seed) {
    int t = config.seqLen();
    int e = cdcd.embeddingDim(config.dModel());
    return dev.diffulab.engine.model.DenoiserModel.of(new CdcdDenoiser(config, vocab, special,
        cdcd.selfConditioning(), e), config, vocab, special, parent, seed,
        new Shape(1, t, e), new Shape(1, 1, 1), new Shape(1, t, 1), new Shape(1, t));
  }

  /** The width E of the diffused embeddings. */
  public int embeddingDim() {
    return embeddingDim;
  }

  /** The token embedding table (V, E) before normalisation: the parameter that may learn faster. */
  public Parameter embeddingParameter() {
    return embedding;
  }

  public boolean selfConditioning() {
    return selfCondition != null;
  }

  public ModelConfig config() {
    return config;
  }

  public int vocab() {
    return vocab;
  }

  /** The normalised embedding table Ê (V, E): unit-length rows times √E. */
  public NDArray normalisedEmbedding(ParameterStore ps, ai.djl.Device device, boolean training) {
    NDArray e = ps.getValue(embedding, device, training); // (V, E)
    NDArray norm = Scalars.add(e.square().sum(new int[]{1}, true).sqrt(), 1e-8f); // (V, 1)
    return Scalars.mul(e.div(norm), (float) Math.sqrt(embeddingDim)); // (V, E)
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(project(ps, hidden(ps, inputs, training), training)); // (B, T, V)
  }

  /** The final hidden states (B, T, D) for the inputs of {@link #forward}, before the head. */
  public NDArray hidden(ParameterStore ps, NDList inputs, boolean training) {
    NDArray keep = inputs.get(3); // (B, T)
    return hidden(ps, inputs.get(0), inputs.get(1), inputs.get(2), Layout.of(keep),
        inputs.size() > 4 ? inputs.get(4) : null, training);
  }

  /**
   * The final hidden states (B, T, D) for any layout of documents, packed ones included.
   *
   * @param x noisy embeddings (B, T, E)
   * @param sigma the noise level, one per row (B, 1, 1) or per position (B, T, 1)
   * @param given 1 at clean prompt positions (B, T, 1)
   * @param previous the previous estimate x̂₀ (B, T, E) with self-conditioning (null: zeros)
   */
  public NDArray hidden(ParameterStore ps, NDArray x, NDArray sigma, NDArray given,
      Layout layout, NDArray previous, boolean training) {
    NDManager m = x.getManager();
    long t = x.getShape().get(1);

    // 1. precondition: noisy positions scaled by c_in = 1/√(1+σ²), given positions as they are
    NDArray cIn = Scalars.pow(Scalars.add(sigma.square(), 1f).sqrt(), -1f); // (B, 1 or T, 1)
    NDArray scale = given.add(Scalars.add(given.neg(), 1f).mul(cIn)); // (B, T, 1)
    NDArray in = x.mul(scale); // (B, T, E)
    if (inputProjection != null) {
      in = inputProjection.forward(ps, new NDList(in), training).head(); // (B, T, D)
    }
    NDArray h = in // (B, T, D)
        .add(layout.positionVectors(ps.getValue(positions, x.getDevice(), training), t))
        .add(given.mul(ps.getValue(givenVector, x.getDevice(), training))); // (B, T, D)
    if (endPositions != null) {
      h = h.add(layout.endVectors(ps.getValue(endPositions, x.getDevice(), training)));
    }
    if (selfCondition != null) {
      NDArray estimate = previous != null ? previous : x.zerosLike(); // (B, T, E)
      h = h.add(selfCondition.forward(ps, new NDList(estimate), training).head()); // (B, T, D)
    }
    // 2. noise level: Fourier features of c_noise = ln σ / 4, projected into every block
    NDArray cNoise = Scalars.div(sigma.log(), 4f); // (B, 1 or T, 1)
    NDArray freqs = Scalars.mul(m.arange(1f, FOURIER + 1f), (float) Math.PI) // (F)
        .reshape(1, 1, FOURIER); // (1, 1, F)
    NDArray angles = cNoise.mul(freqs); // (B, 1 or T, F)
    NDArray features = angles.sin().concat(angles.cos(), 2); // (B, 1 or T, 2F)
    NDArray keyBias = layout.attentionBias(); // (B, 1, 1, T) or (B, 1, T, T)
    for (int i = 0; i < blocks.size(); i++) {
      NDArray n = noiseIn.get(i).forward(ps, new NDList(features), training).head(); // (B,·,D)
      h = blocks.get(i).forward(ps, new NDList(h.add(n), keyBias), training).head(); // (B, T, D)
    }
    return finalNorm.forward(ps, new NDList(h), training).head(); // (B, T, D)
  }

  @Override
  public NDArray project(ParameterStore ps, NDArray h, boolean training) {
    // 3. logits over the vocabulary, special tokens never
    NDArray logits = head.forward(ps, new NDList(h), training).head(); // (…, V)
    return logits.add(h.getManager().create(forbidden)); // (…, V)
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[]{new Shape(x.get(0), x.get(1), vocab)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    Shape x = inputShapes[0]; // (B, T, E)
    Shape h = new Shape(x.get(0), x.get(1), config.dModel()); // (B, T, D)
    Shape bias = new Shape(x.get(0), 1, 1, x.get(1));
    for (int i = 0; i < blocks.size(); i++) {
      blocks.get(i).initialize(manager, dataType, h, bias);
      noiseIn.get(i).initialize(manager, dataType, new Shape(x.get(0), 2 * FOURIER));
    }
    finalNorm.initialize(manager, dataType, h);
    head.initialize(manager, dataType, h);
    if (selfCondition != null) {
      selfCondition.initialize(manager, dataType, x);
    }
    if (inputProjection != null) {
      inputProjection.initialize(manager, dataType, x);
    }
  }
}
