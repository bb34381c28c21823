package dev.diffulab.engine.image;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dev.diffulab.core.image.ImageSet;
import dev.diffulab.engine.model.SafeConv2d;
import dev.diffulab.engine.model.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The measuring instrument of the image families: a small convolutional classifier (three 3×3
 * convolutions with batch normalisation, 32 → 64 → 64 channels, two 2×2 max-pools, a 128-wide
 * feature layer, dropout) for 28×28 greyscale pictures. Its class probabilities say whether a
 * sample is recognisable and of which class; its 128 features are the space in which
 * {@code evaluate} measures a Fréchet distance (as FID does with Inception features, Heusel et
 * al. 2017).
 *
 * <p>Input: pixels scaled to [−1, 1] (B, H·W), standardised here with the training set's mean
 * and spread. Output: logits (B, classes).
 */
public final class ImageClassifier implements AutoCloseable {
  /** FashionMNIST's pixel mean and standard deviation on [0, 1]. */
  static final float MEAN = 0.2860f;
  static final float STD = 0.3530f;
  public static final int FEATURES = 128;

  private final int height;
  private final int width;
  private final int classes;
  private final SequentialBlock features;
  private final SequentialBlock head;
  private final SequentialBlock net;
  private final Model model;
  private final NDManager manager;
  private final ParameterStore store;

  public ImageClassifier(int height, int width, int classes, NDManager parent, long seed) {
    this.height = height;
    this.width = width;
    this.classes = classes;
    ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    this.manager = parent.newSubManager();
    features = new SequentialBlock()
        .add(conv(32)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(conv(64)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(conv(64)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Dropout.builder().optRate(0.25f).build())
        .add(Linear.builder().setUnits(FEATURES).build()).add(Activation.reluBlock());
    head = new SequentialBlock()
        .add(Dropout.builder().optRate(0.25f).build())
        .add(Linear.builder().setUnits(classes).build());
    net = new SequentialBlock().add(features).add(head);
    model = Model.newInstance("classifier", parent.getDevice());
    model.setBlock(net);
    net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, height, width));
    for (Parameter p : trainable()) {
      p.getArray().setRequiresGradient(true);
    }
    store = new ParameterStore(manager, false);
  }

  private static Conv2d conv(int filters) {
    return new SafeConv2d(Conv2d.builder().setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1)).setFilters(filters));
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int classes() {
    return classes;
  }

  public NDManager manager() {
    return manager;
  }

  /** The parameters a gradient step changes (not batch normalisation's running statistics). */
  public List<Parameter> trainable() {
    List<Parameter> out = new ArrayList<>();
    net.getParameters().forEach(p -> {
      if (p.getValue().requiresGradient()) {
        out.add(p.getValue());
      }
    });
    return out;
  }

  /** Pictures (B, H·W) in [−1, 1] as the network's standardised input (B, 1, H, W). */
  NDArray input(NDArray signed) {
    long b = signed.getShape().get(0);
    NDArray unit = Scalars.div(Scalars.add(signed, 1f), 2f); // [-1, 1] → [0, 1]
    return Scalars.div(Scalars.sub(unit, MEAN), STD).reshape(b, 1, height, width);
  }

  /** Logits (B, classes) for pictures (B, H·W) in [−1, 1]. */
  public NDArray logits(NDArray signed, boolean training) {
    return net.forward(store, new NDList(input(signed)), training).head();
  }

  /** The 128 features (B, 128) the Fréchet distance is measured in (inference mode). */
  public NDArray features(NDArray signed) {
    return features.forward(store, new NDList(input(signed)), false).head();
  }

  /** Class probabilities (B, classes), inference mode. */
  public NDArray probabilities(NDArray signed) {
    return net.forward(store, new NDList(input(signed)), false).head().softmax(-1);
  }

  /** The first {@code n} images of a set as one (n, H·W) array in [−1, 1]. */
  public static NDArray batch(NDManager m, ImageSet set, int[] indices) {
    int pixels = set.height() * set.width();
    float[] flat = new float[indices.length * pixels];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(set.signed(indices[i]), 0, flat, i * pixels, pixels);
    }
    return m.create(flat, new Shape(indices.length, pixels));
  }

  public void save(DataOutputStream out) throws IOException {
    net.saveParameters(out);
  }

  public void load(DataInputStream in) throws IOException, ai.djl.MalformedModelException {
    net.loadParameters(manager, in);
    for (Parameter p : trainable()) {
      p.getArray().setRequiresGradient(true);
    }
  }

  @Override
  public void close() {
    model.close();
    manager.close();
  }
}
