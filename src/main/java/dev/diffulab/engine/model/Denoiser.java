package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The bidirectional transformer denoiser shared by both families: token embedding plus learned
 * positions, {@code layers} pre-LN {@link TransformerBlock}s, a final LayerNorm and a projection
 * to vocabulary logits (tied to the embedding unless the config says otherwise). Special tokens
 * ([PAD], [MASK], …) get a logit of −10⁴ so they can never be predicted.
 *
 * <p>Inputs: token ids (B, T) int64, key padding mask (B, T) float (1 = real token). Output:
 * logits (B, T, V).
 */
public final class Denoiser extends AbstractBlock implements VocabularyHead {
  private static final byte VERSION = 1;
  /**
   * Added to the logits of special tokens and to attention scores of padding keys: e^-10000 is
   * exactly 0 in float32, while the value stays far from overflow in the backward pass.
   */
  public static final float NEVER = -1e4f;

  /** The logit bias that keeps special tokens from ever being predicted: (V), NEVER or 0. */
  public static float[] forbiddenBias(boolean[] special) {
    float[] bias = new float[special.length];
    for (int i = 0; i < special.length; i++) {
      bias[i] = special[i] ? NEVER : 0f;
    }
    return bias;
  }

  /** Whether this is a causal decoder (attention to earlier positions only). */
  public boolean causal() {
    return causal;
  }

  /** The causal attention bias (1, 1, T, T): 0 where key ≤ query, {@link #NEVER} after. */
  public static NDArray causalBias(ai.djl.ndarray.NDManager m, long t) {
    NDArray index = m.arange(0f, (float) t); // (T)
    NDArray later = index.reshape(1, t).gt(index.reshape(t, 1))
        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false); // (T, T): key > query
    return Scalars.mul(later, NEVER).reshape(1, 1, t, t);
  }

  /** Attention bias from a padding mask (B, T): 0 for real keys, NEVER for padding. */
  public static NDArray keyBias(NDArray keep) {
    return Scalars.mul(Scalars.sub(keep, 1f), -NEVER).expandDims(1).expandDims(1); // (B, 1, 1, T)
  }

  private final ModelConfig config;
  private final int vocab;
  private final float[] forbidden;
  private final Parameter tokenEmbedding;
  private final Parameter positions;
  /** Distance-to-the-end vectors (model.end_positions), or null. */
  private final Parameter endPositions;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear head;
  private final Parameter outputBias;

  /**
   * Whether every position attends only to itself and the positions before it: the same
   * transformer as a causal decoder, what the autoregressive baseline is.
   */
  private final boolean causal;

  /** @param special which ids may never be predicted */
  public Denoiser(ModelConfig config, int vocab, boolean[] special) {
    this(config, vocab, special, false);
  }

  /**
   * @param special which ids may never be predicted
   * @param causal attention to earlier positions only (a causal decoder)
   */
  public Denoiser(ModelConfig config, int vocab, boolean[] special, boolean causal) {
    super(VERSION);
    this.causal = causal;
    this.config = config;
    this.vocab = vocab;
    this.forbidden = forbiddenBias(special);
    tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(vocab, config.dModel())).build());
    positions = addParameter(Parameter.builder().setName("positions")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.seqLen(), config.dModel()))
        .build());
    endPositions = config.endPositions()
        ? addParameter(Parameter.builder().setName("end_positions")
            .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.seqLen(), config.dModel()))
            .build())
        : null;
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("block" + i,
          new TransformerBlock(config.dModel(), config.heads(), config.ffn())));
    }
    finalNorm = addChildBlock("final_norm", LayerNorm.builder().axis(2).build());
    head = config.tieEmbeddings()
        ? null
        : addChildBlock("head", Linear.builder().setUnits(vocab).optBias(false).build());
    outputBias = addParameter(Parameter.builder().setName("output_bias")
        .setType(Parameter.Type.BIAS).optShape(new Shape(vocab)).build());
  }

  public ModelConfig config() {
    return config;
  }

  public int vocab() {
    return vocab;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray h = hidden(ps, inputs.get(0), inputs.get(1), training); // (B, T, D)
    return new NDList(project(ps, h, training)); // (B, T, V)
  }

  /**
   * The final hidden states, before the output head: what the loss gathers at the positions it
   * scores, so the head never runs where nothing is scored.
   *
   * @param ids token ids (B, T) int64
   * @param keep 1 for real tokens, 0 for padding (B, T)
   */
  public NDArray hidden(ParameterStore ps, NDArray ids, NDArray keep, boolean training) {
    return hidden(ps, ids, Layout.of(keep), training);
  }

  /**
   * Final hidden states (B, T, D) for token ids (B, T) in which {@code segment} (B × T) is 0 for
   * padding and 1, 2, … for the documents of a row (which attend only within themselves), the
   * arrays made in {@code m}: what {@link TokenCrossEntropy} gathers from.
   */
  public NDArray hidden(ParameterStore ps, ai.djl.ndarray.NDManager m, int[][] ids,
      int[][] segment, boolean training) {
    NDArray idArray = m.create(ids).toType(ai.djl.ndarray.types.DataType.INT64, false); // (B, T)
    return hidden(ps, idArray, Layout.of(m, segment), training);
  }

  /** As above for rows of one document each, {@code keep} (B × T) 1 for real tokens. */
  public NDArray hidden(ParameterStore ps, ai.djl.ndarray.NDManager m, int[][] ids,
      float[][] keep, boolean training) {
    NDArray idArray = m.create(ids).toType(ai.djl.ndarray.types.DataType.INT64, false); // (B, T)
    return hidden(ps, idArray, m.create(keep), training); // (B, T, D)
  }

  /** As above for any layout of documents, packed ones included. */
  public NDArray hidden(ParameterStore ps, NDArray ids, Layout layout, boolean training) {
    long t = ids.getShape().get(1);
    NDArray e = ps.getValue(tokenEmbedding, ids.getDevice(), training); // (V, D)
    NDArray p = ps.getValue(positions, ids.getDevice(), training); // (T_max, D)

    // 1. token vectors plus their positions
    NDArray x = ai.djl.nn.core.Embedding.embedding(ids, e, ai.djl.ndarray.types.SparseFormat.DENSE)
        .head() // (B, T, D)
        .add(layout.positionVectors(p, t)); // (B, T, D)
    if (endPositions != null) {
      x = x.add(layout.endVectors(ps.getValue(endPositions, ids.getDevice(), training)));
    }
    // 2. padding keys (and, packed, other documents' keys) get −10⁴ before the softmax
    NDArray keyBias = layout.attentionBias(); // (B, 1, 1, T) or (B, 1, T, T)
    if (causal) {
      // a decoder's queries never see later keys: NEVER above the diagonal
      keyBias = keyBias.add(causalBias(ids.getManager(), t)); // (B, 1, T, T)
    }
    for (TransformerBlock block : blocks) {
      x = block.forward(ps, new NDList(x, keyBias), training).head(); // (B, T, D)
    }
    return finalNorm.forward(ps, new NDList(x), training).head(); // (B, T, D)
  }

  @Override
  public NDArray project(ParameterStore ps, NDArray h, boolean training) {
    NDManager m = h.getManager();
    // 3. logits over the vocabulary, special tokens never
    NDArray logits = head == null
        ? h.matMul(ps.getValue(tokenEmbedding, h.getDevice(), training).transpose()) // (…, V)
        : head.forward(ps, new NDList(h), training).head(); // (…, V)
    NDArray bias = ps.getValue(outputBias, h.getDevice(), training) // (V)
        .add(m.create(forbidden)); // (V)
    return logits.add(bias); // (…, V)
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
    Shape x = new Shape(ids.get(0), ids.get(1), config.dModel());
    Shape bias = new Shape(ids.get(0), 1, 1, ids.get(1));
    for (TransformerBlock block : blocks) {
      block.initialize(manager, dataType, x, bias);
    }
    finalNorm.initialize(manager, dataType, x);
    if (head != null) {
      head.initialize(manager, dataType, x);
    }
  }
}
