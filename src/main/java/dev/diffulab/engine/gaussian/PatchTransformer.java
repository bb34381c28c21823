package dev.diffulab.engine.gaussian;

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
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.diffulab.engine.model.CrossAttention;
import dev.diffulab.engine.model.Scalars;
import dev.diffulab.engine.model.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The patch transformer backbone (DiT, Peebles &amp; Xie 2023): the picture cut into patches of
 * p × p pixels, each a token (a linear map plus a learned position vector); the text families'
 * transformer blocks, conditioned by adaLN — each block's shift, scale and gate computed from the
 * embedding of t and the class, its map started at zero so every block starts as the identity
 * (adaLN-Zero); a last adaLN and a linear map back to the patch's pixels.
 *
 * <p>Inputs as {@link UNet}: x_t (B, 1, H, W), t (B) float, class (B) int64 ({@code classes}
 * is "no class"); with cross-attention also the memory (B, S, D) and its key bias (B, 1, 1, S).
 * Output (B, 1, H, W).
 */
public final class PatchTransformer extends AbstractBlock {
  private final int width;
  private final int patchH;
  private final int patchW;
  private final int classes;
  private final Linear time1;
  private final Linear time2;
  private final Parameter classTable;
  private final Linear embed;
  private final Parameter positions;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final List<Linear> modulations = new ArrayList<>();
  private final List<CrossAttention> crosses = new ArrayList<>();
  private final LayerNorm normOut;
  private final Linear modOut;
  private final Linear out;

  /** @param classes the number of classes (0: unconditional) */
  public PatchTransformer(int width, int layers, int heads, int patch, int classes) {
    this(width, layers, heads, patch, patch, classes);
  }

  /**
   * Patches of {@code patchH} × {@code patchW} values: a row of a (B, 1, k, Z) stack of k latent
   * vectors is one patch of 1 × Z, so each vector is a token.
   *
   * @param classes the number of classes (0: unconditional)
   */
  public PatchTransformer(int width, int layers, int heads, int patchH, int patchW,
      int classes) {
    this(width, layers, heads, patchH, patchW, classes, false);
  }

  /**
   * As above; with {@code crossAttention} every block is followed by cross-attention to a
   * memory (an encoder's states, CodeFusion's condition), given as two more inputs.
   */
  public PatchTransformer(int width, int layers, int heads, int patchH, int patchW,
      int classes, boolean crossAttention) {
    this.width = width;
    this.patchH = patchH;
    this.patchW = patchW;
    this.classes = classes;
    time1 = addChildBlock("time1", Linear.builder().setUnits(width).build());
    time2 = addChildBlock("time2", Linear.builder().setUnits(width).build());
    classTable = addParameter(Parameter.builder().setName("class_embedding")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(classes + 1, width)).build());
    embed = addChildBlock("patch_embed", Linear.builder().setUnits(width).build());
    positions = addParameter(Parameter.builder().setName("positions")
        .setType(Parameter.Type.WEIGHT).optInitializer(new NormalInitializer(0.02f)).build());
    for (int i = 0; i < layers; i++) {
      blocks.add(addChildBlock("block" + i, new TransformerBlock(width, heads, 4 * width)));
      modulations.add(addChildBlock("adaln" + i, Linear.builder().setUnits(6L * width)
          .build()));
      if (crossAttention) {
        crosses.add(addChildBlock("cross" + i, new CrossAttention(width, heads)));
      }
    }
    normOut = addChildBlock("norm_out", LayerNorm.builder().axis(2).build());
    modOut = addChildBlock("adaln_out", Linear.builder().setUnits(2L * width).build());
    out = addChildBlock("out", Linear.builder().setUnits((long) patchH * patchW).build());
  }

  public int classes() {
    return classes;
  }

  /** Whether its blocks read a memory by cross-attention. */
  public boolean crossAttends() {
    return !crosses.isEmpty();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0); // (B, 1, H, W)
    NDArray t = inputs.get(1); // (B)
    NDArray label = inputs.get(2); // (B) int64
    long b = x.getShape().get(0);
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    long gh = h / patchH;
    long gw = w / patchW;

    // 1. the conditioning: step and class
    NDArray cond = ResBlock.silu(UNet.condition(ps, time1, time2, classTable, t, label, width,
        training)); // (B, D)

    // 2. patches as tokens: (B, 1, H, W) → (B, N, p·p) → (B, N, D)
    NDArray patches = x.reshape(b, gh, patchH, gw, patchW).transpose(0, 1, 3, 2, 4)
        .reshape(b, gh * gw, (long) patchH * patchW);
    NDArray seq = embed.forward(ps, new NDList(patches), training).head()
        .add(ps.getValue(positions, x.getDevice(), training).expandDims(0)); // (B, N, D)
    NDArray noPads = x.getManager().zeros(new Shape(b, 1, 1, gh * gw)); // (B, 1, 1, N)

    // 3. the blocks, each modulated by the conditioning
    for (int i = 0; i < blocks.size(); i++) {
      NDArray mod = modulations.get(i).forward(ps, new NDList(cond), training).head(); // (B, 6D)
      seq = blocks.get(i).forward(ps, new NDList(seq, noPads, mod), training).head();
      if (!crosses.isEmpty()) {
        seq = crosses.get(i).forward(ps, new NDList(seq, inputs.get(3), inputs.get(4)),
            training).head(); // (B, N, D)
      }
    }

    // 4. the last adaLN, pixels of each patch, the picture put back together
    NDList shiftScale = modOut.forward(ps, new NDList(cond), training).head()
        .reshape(b, 1, 2L * width).split(2, 2);
    NDArray y = normOut.forward(ps, new NDList(seq), training).head()
        .mul(Scalars.add(shiftScale.get(1), 1f)).add(shiftScale.get(0)); // (B, N, D)
    NDArray pixels = out.forward(ps, new NDList(y), training).head(); // (B, N, p·p)
    return new NDList(pixels.reshape(b, gh, gw, patchH, patchW).transpose(0, 1, 3, 2, 4)
        .reshape(b, 1, h, w));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[]{inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    Shape x = inputShapes[0]; // (B, 1, H, W)
    long b = x.get(0);
    long tokens = (x.get(2) / patchH) * (x.get(3) / patchW);
    Shape seq = new Shape(b, tokens, width);
    Shape emb = new Shape(b, width);
    time1.initialize(manager, dataType, emb);
    time2.initialize(manager, dataType, emb);
    embed.initialize(manager, dataType, new Shape(b, tokens, (long) patchH * patchW));
    for (int i = 0; i < blocks.size(); i++) {
      blocks.get(i).initialize(manager, dataType, seq, new Shape(b, 1, 1, tokens));
      // adaLN-Zero: every block starts as the identity
      modulations.get(i).setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
      modulations.get(i).initialize(manager, dataType, emb);
      if (!crosses.isEmpty()) {
        Shape memory = inputShapes.length > 3 ? inputShapes[3] : new Shape(b, 1, width);
        crosses.get(i).initialize(manager, dataType, seq, memory,
            new Shape(b, 1, 1, memory.get(1)));
      }
    }
    normOut.initialize(manager, dataType, seq);
    modOut.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
    modOut.initialize(manager, dataType, emb);
    out.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
    out.initialize(manager, dataType, seq);
  }

  /** The position table's size depends on the picture's: set before the parameters are made. */
  @Override
  protected void prepare(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    positions.setShape(new Shape((x.get(2) / patchH) * (x.get(3) / patchW), width));
  }
}
