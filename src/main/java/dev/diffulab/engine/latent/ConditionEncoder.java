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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.diffulab.core.config.ModelConfig;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder of an encoder–diffusion–decoder model (CodeFusion, Singh et al. 2023): a
 * bidirectional transformer that reads the input text — a story to summarise, a prompt to
 * answer — into one state a token, which the latent denoiser reads by cross-attention at every
 * step. It has its own token embedding: it learns with the denoiser, after the autoencoder whose
 * embedding it would otherwise share has been frozen.
 *
 * <p>Shapes: ids (B, S) with keep (B, S) → states (B, S, D), layer-normalised.
 */
public final class ConditionEncoder extends AbstractBlock {
  private static final byte VERSION = 1;

  private final ModelConfig config;
  private final Parameter tokenEmbedding;
  private final Parameter positions;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm norm;

  /** @param config the width, depth, heads and longest input */
  public ConditionEncoder(ModelConfig config, int vocab) {
    super(VERSION);
    this.config = config;
    int d = config.dModel();
    tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(vocab, d)).build());
    positions = addParameter(Parameter.builder().setName("positions")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.seqLen(), d)).build());
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(addChildBlock("block" + i, new TransformerBlock(d, config.heads(),
          config.ffn())));
    }
    norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0); // (B, S) int64
    NDArray keep = inputs.get(1); // (B, S)
    long s = ids.getShape().get(1);
    NDArray e = ps.getValue(tokenEmbedding, ids.getDevice(), training); // (V, D)
    NDArray p = ps.getValue(positions, ids.getDevice(), training).get("0:" + s); // (S, D)
    NDArray x = Embedding.embedding(ids, e, SparseFormat.DENSE).head()
        .add(p.expandDims(0)); // (B, S, D)
    NDArray bias = Denoiser.keyBias(keep); // (B, 1, 1, S)
    for (TransformerBlock block : blocks) {
      x = block.forward(ps, new NDList(x, bias), training).head(); // (B, S, D)
    }
    return new NDList(norm.forward(ps, new NDList(x), training).head());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[]{new Shape(ids.get(0), ids.get(1), config.dModel())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    Shape ids = inputShapes[0];
    Shape x = new Shape(ids.get(0), ids.get(1), config.dModel());
    for (TransformerBlock block : blocks) {
      block.initialize(manager, dataType, x, new Shape(ids.get(0), 1, 1, ids.get(1)));
    }
    norm.initialize(manager, dataType, x);
  }
}
