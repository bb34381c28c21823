package dev.diffulab.engine.gaussian;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.diffulab.core.gaussian.GaussianConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Gaussian-diffusion network (the U-Net or the patch transformer, by the config's {@code
 * model.backbone}) with its parameters on a device, for pictures of one size: built
 * from the config's seed, run on (x_t, t, class), saved and loaded.
 */
public final class GaussianModel implements AutoCloseable {
  private final GaussianConfig config;
  private final int height;
  private final int width;
  private final ai.djl.nn.AbstractBlock net;
  private final int classes;
  private final Model model;
  private final NDManager manager;
  private final ParameterStore store;

  public GaussianModel(GaussianConfig config, int height, int width, int classes,
      NDManager parent) {
    if (!config.model().transformer() && (height % 4 != 0 || width % 4 != 0)) {
      throw new dev.diffulab.core.InputException("image models need a height and width"
          + " divisible by 4, not " + height + "×" + width);
    }
    this.config = config;
    this.height = height;
    this.width = width;
    ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
    this.manager = parent.newSubManager();
    this.classes = config.model().classConditional() ? classes : 0;
    var m = config.model();
    if (m.transformer() && (height % m.patch() != 0 || width % m.patch() != 0)) {
      throw new dev.diffulab.core.InputException("model.patch " + m.patch() + " must divide"
          + " the pictures' size " + height + "×" + width);
    }
    this.net = m.transformer()
        ? new PatchTransformer(m.channels(), m.layers(), m.heads(), m.patch(), this.classes)
        : new UNet(m.channels(), this.classes, m.attention());
    this.model = Model.newInstance("gaussian", parent.getDevice());
    model.setBlock(net);
    net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, height, width), new Shape(1),
        new Shape(1));
    for (Parameter p : parameters()) {
      p.getArray().setRequiresGradient(true);
    }
    this.store = new ParameterStore(manager, false);
  }

  public GaussianConfig config() {
    return config;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Classes the model is conditioned on (0: unconditional). */
  public int classes() {
    return classes;
  }

  public NDManager manager() {
    return manager;
  }

  public List<Parameter> parameters() {
    List<Parameter> out = new ArrayList<>();
    net.getParameters().forEach(p -> out.add(p.getValue()));
    return out;
  }

  public long parameterCount() {
    return parameters().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  /**
   * The network's output (B, 1, H, W) for x_t (B, 1, H, W) at steps {@code t} (B, float), with
   * class ids (B, int64; {@code classes()} for "no class").
   */
  public NDArray predict(NDArray x, NDArray t, NDArray label, boolean training) {
    return net.forward(store, new NDList(x, t, label), training).head();
  }

  /**
   * The clean picture x̂₀ the network's {@code out} at x_t stands for, whatever it predicts;
   * {@code a} = √ᾱ_t and {@code s} = √(1 − ᾱ_t), each broadcastable to x_t (B, 1, 1, 1).
   */
  public NDArray denoised(NDArray out, NDArray x, NDArray a, NDArray s) {
    return switch (config.prediction()) {
      case EPSILON -> x.sub(out.mul(s)).div(a);
      case X0 -> out;
      case V -> x.mul(a).sub(out.mul(s));
    };
  }

  /** The noise ε̂ the network's {@code out} at x_t stands for (as {@link #denoised}). */
  public NDArray noise(NDArray out, NDArray x, NDArray a, NDArray s) {
    return switch (config.prediction()) {
      case EPSILON -> out;
      case X0 -> x.sub(out.mul(a)).div(s);
      case V -> out.mul(a).add(x.mul(s));
    };
  }

  public void save(DataOutputStream out) throws IOException {
    net.saveParameters(out);
  }

  public void load(DataInputStream in) throws IOException, ai.djl.MalformedModelException {
    net.loadParameters(manager, in);
    for (Parameter p : parameters()) {
      p.getArray().setRequiresGradient(true);
    }
  }

  @Override
  public void close() {
    model.close();
    manager.close();
  }
}
