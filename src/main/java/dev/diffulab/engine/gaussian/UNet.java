package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.diffulab.engine.model.SafeConv2d;
import dev.diffulab.engine.model.Scalars;

/**
 * A small U-Net in the manner of DDPM (Ho et al. 2020) and minDDPM: a sinusoidal embedding of
 * the step t through a two-layer MLP, plus a learned class embedding (one extra row is "no
 * class", what label dropout trains for classifier-free guidance); residual blocks with group
 * normalisation at three resolutions (H, H/2, H/4 with C, 2C, 2C channels), strided
 * convolutions down, nearest-neighbour up, skip connections concatenated.
 *
 * <p>Inputs: x_t (B, 1, H, W), t (B) as float step numbers, class (B) int64 (the "no class"
 * row is {@code classes}). Output: the prediction (B, 1, H, W) — ε, x₀ or v, by the config.
 */
public final class UNet extends AbstractBlock {
  private final int channels;
  private final int classes;
  private final int embedding;
  private final Linear time1;
  private final Linear time2;
  private final Parameter classTable;
  private final Conv2d in;
  private final ResBlock down1;
  private final Conv2d pool1;
  private final ResBlock down2;
  private final Conv2d pool2;
  private final ResBlock mid1;
  private final dev.diffulab.engine.model.TransformerBlock attention;
  private final ResBlock mid2;
  private final ResBlock up2;
  private final ResBlock up1;
  private final GroupNorm normOut;
  private final Conv2d out;

  /** @param classes the number of classes (0: unconditional) */
  public UNet(int channels, int classes) {
    this(channels, classes, false);
  }

  /**
   * @param classes the number of classes (0: unconditional)
   * @param attention a transformer block over the lowest resolution's positions
   */
  public UNet(int channels, int classes, boolean attention) {
    this.channels = channels;
    this.classes = classes;
    this.embedding = 4 * channels;
    int c2 = 2 * channels;
    time1 = addChildBlock("time1", Linear.builder().setUnits(embedding).build());
    time2 = addChildBlock("time2", Linear.builder().setUnits(embedding).build());
    classTable = addParameter(Parameter.builder().setName("class_embedding")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(classes + 1, embedding)).build());
    in = addChildBlock("in", ResBlock.conv3(channels));
    down1 = addChildBlock("down1", new ResBlock(channels, channels));
    pool1 = addChildBlock("pool1", strided(channels));
    down2 = addChildBlock("down2", new ResBlock(channels, c2));
    pool2 = addChildBlock("pool2", strided(c2));
    mid1 = addChildBlock("mid1", new ResBlock(c2, c2));
    this.attention = attention
        ? addChildBlock("attention", new dev.diffulab.engine.model.TransformerBlock(c2,
            Math.max(1, c2 / 32), 2 * c2))
        : null;
    mid2 = addChildBlock("mid2", new ResBlock(c2, c2));
    up2 = addChildBlock("up2", new ResBlock(c2 + c2, c2));
    up1 = addChildBlock("up1", new ResBlock(c2 + channels, channels));
    normOut = addChildBlock("norm_out", new GroupNorm(channels));
    out = addChildBlock("out", new SafeConv2d(Conv2d.builder().setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1)).setFilters(1)));
  }

  private static Conv2d strided(int filters) {
    return new SafeConv2d(Conv2d.builder().setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1)).optStride(new Shape(2, 2)).setFilters(filters));
  }

  public int classes() {
    return classes;
  }

  /**
   * The multiply-adds of one picture's forward pass, ×2 (convolutions and linear maps; the
   * normalisations and activations are not counted), for {@code channels} on H × W pictures:
   * what the bench's model-FLOP utilisation counts as useful work.
   */
  public static double forwardFlops(int channels, int h, int w) {
    int c = channels;
    int c2 = 2 * c;
    int e = 4 * c;
    double half = Math.ceil(h / 2.0) * Math.ceil(w / 2.0);
    double quarter = Math.ceil(h / 4.0) * Math.ceil(w / 4.0);
    double full = (double) h * w;
    double f = 2.0 * c * e + 2.0 * e * e; // the time MLP
    f += conv(1, c, 9, full); // in
    f += block(c, c, e, full); // down1
    f += conv(c, c, 9, half); // pool1
    f += block(c, c2, e, half); // down2
    f += conv(c2, c2, 9, quarter); // pool2
    f += 2 * block(c2, c2, e, quarter); // mid1, mid2
    f += block(c2 + c2, c2, e, half); // up2
    f += block(c2 + c, c, e, full); // up1
    f += conv(c, 1, 9, full); // out
    return f;
  }

  private static double conv(int in, int out, int k, double positions) {
    return 2.0 * in * out * k * positions;
  }

  private static double block(int in, int out, int e, double positions) {
    return conv(in, out, 9, positions) + conv(out, out, 9, positions) + 2.0 * e * out
        + (in == out ? 0 : conv(in, out, 1, positions));
  }

  /** The sinusoidal embedding of float steps t (B) as in the transformer: (B, dim). */
  static NDArray sinusoidal(NDArray t, int dim) {
    int half = dim / 2;
    NDArray freq = Scalars.mul(t.getManager().arange(0f, (float) half), (float) (-Math.log(10_000)
        / half)).exp(); // (dim/2)
    NDArray angle = t.reshape(-1, 1).mul(freq.reshape(1, -1)); // (B, dim/2)
    return angle.sin().concat(angle.cos(), 1); // (B, dim)
  }

  /**
   * The embedding of steps t (B) and classes (B, int64) both backbones condition on: the
   * sinusoidal embedding of t ({@code dim} wide) through {@code time1}, SiLU, {@code time2},
   * plus the class's row of {@code classTable} (its last row is "no class"). (B, E).
   */
  static NDArray condition(ParameterStore ps, Linear time1, Linear time2, Parameter classTable,
      NDArray t, NDArray label, int dim, boolean training) {
    NDArray emb = time1.forward(ps, new NDList(sinusoidal(t, dim)), training).head();
    emb = time2.forward(ps, new NDList(ResBlock.silu(emb)), training).head(); // (B, E)
    NDArray table = ps.getValue(classTable, t.getDevice(), training); // (K+1, E)
    return emb.add(ai.djl.nn.core.Embedding.embedding(label, table,
        ai.djl.ndarray.types.SparseFormat.DENSE).head()); // (B, E)
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0); // (B, 1, H, W)
    NDArray t = inputs.get(1); // (B)
    NDArray label = inputs.get(2); // (B) int64

    // 1. the embedding of step and class
    NDArray emb = condition(ps, time1, time2, classTable, t, label, channels, training); // (B, E)

    // 2. down: H → H/2 → H/4
    NDArray h0 = in.forward(ps, new NDList(x), training).head(); // (B, C, H, W)
    NDArray h1 = down1.forward(ps, new NDList(h0, emb), training).head(); // (B, C, H, W)
    NDArray h2 = down2.forward(ps, new NDList(pool1.forward(ps, new NDList(h1), training)
        .head(), emb), training).head(); // (B, 2C, H/2, W/2)
    NDArray m = pool2.forward(ps, new NDList(h2), training).head(); // (B, 2C, H/4, W/4)
    m = mid1.forward(ps, new NDList(m, emb), training).head();
    if (attention != null) {
      // every position of the lowest resolution attends to every other: (B, h·w, 2C)
      long b = m.getShape().get(0);
      long c = m.getShape().get(1);
      long mh = m.getShape().get(2);
      long mw = m.getShape().get(3);
      NDArray seq = m.reshape(b, c, mh * mw).transpose(0, 2, 1);
      NDArray open = m.getManager().zeros(new Shape(b, 1, 1, mh * mw));
      m = attention.forward(ps, new NDList(seq, open), training).head().transpose(0, 2, 1)
          .reshape(b, c, mh, mw);
    }
    m = mid2.forward(ps, new NDList(m, emb), training).head(); // (B, 2C, H/4, W/4)

    // 3. up, each level joined with its skip
    NDArray u2 = up2.forward(ps, new NDList(upsample(m).concat(h2, 1), emb), training)
        .head(); // (B, 2C, H/2, W/2)
    NDArray u1 = up1.forward(ps, new NDList(upsample(u2).concat(h1, 1), emb), training)
        .head(); // (B, C, H, W)
    NDArray y = ResBlock.silu(normOut.forward(ps, new NDList(u1), training).head());
    return new NDList(out.forward(ps, new NDList(y), training).head()); // (B, 1, H, W)
  }

  /** Nearest-neighbour ×2: (B, C, h, w) → (B, C, 2h, 2w). */
  private static NDArray upsample(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
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
    long h = x.get(2);
    long w = x.get(3);
    int c2 = 2 * channels;
    Shape emb = new Shape(b, embedding);
    time1.initialize(manager, dataType, new Shape(b, channels));
    time2.initialize(manager, dataType, emb);
    in.initialize(manager, dataType, x);
    Shape full = new Shape(b, channels, h, w);
    down1.initialize(manager, dataType, full, emb);
    pool1.initialize(manager, dataType, full);
    down2.initialize(manager, dataType, new Shape(b, channels, h / 2, w / 2), emb);
    Shape half = new Shape(b, c2, h / 2, w / 2);
    pool2.initialize(manager, dataType, half);
    Shape quarter = new Shape(b, c2, h / 4, w / 4);
    mid1.initialize(manager, dataType, quarter, emb);
    if (attention != null) {
      long positions = quarter.get(2) * quarter.get(3);
      attention.initialize(manager, dataType, new Shape(b, positions, c2),
          new Shape(b, 1, 1, positions));
    }
    mid2.initialize(manager, dataType, quarter, emb);
    up2.initialize(manager, dataType, new Shape(b, c2 + c2, h / 2, w / 2), emb);
    up1.initialize(manager, dataType, new Shape(b, c2 + channels, h, w), emb);
    normOut.initialize(manager, dataType, full);
    out.initialize(manager, dataType, full);
  }
}
