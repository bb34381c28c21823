package dev.diffulab.engine.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.ConstantInitializer;
import dev.diffulab.core.config.ModelConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Denoiser} with its parameters on a device: initialised (GPT-2 style, N(0, 0.02) weights,
 * zero biases, unit LayerNorm gains), run forward from plain Java arrays, saved and loaded.
 */
public final class DenoiserModel implements AutoCloseable {
  private final Model model;
  private final Denoiser denoiser;
  private final NDManager manager;
  private final ParameterStore store;

  public DenoiserModel(ModelConfig config, int vocab, boolean[] special, NDManager parent,
      long seed) {
    ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    this.manager = parent.newSubManager();
    this.denoiser = new Denoiser(config, vocab, special);
    this.model = Model.newInstance("denoiser", parent.getDevice());
    model.setBlock(denoiser);
    denoiser.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    denoiser.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
    denoiser.setInitializer(new ConstantInitializer(1f), Parameter.Type.GAMMA);
    denoiser.setInitializer(new ConstantInitializer(0f), Parameter.Type.BETA);
    denoiser.initialize(manager, DataType.FLOAT32, new Shape(1, config.seqLen()),
        new Shape(1, config.seqLen()));
    for (Parameter p : parameters()) {
      p.getArray().setRequiresGradient(true);
    }
    this.store = new ParameterStore(manager, false);
  }

  public ModelConfig config() {
    return denoiser.config();
  }

  public int vocab() {
    return denoiser.vocab();
  }

  public Device device() {
    return manager.getDevice();
  }

  public List<Parameter> parameters() {
    List<Parameter> out = new ArrayList<>();
    denoiser.getParameters().forEach(p -> out.add(p.getValue()));
    return out;
  }

  public long parameterCount() {
    return parameters().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  /** Logits (B, T, V) for token ids (B, T) with padding mask (B, T), made in {@code m}. */
  public NDArray logits(NDManager m, int[][] ids, float[][] keep, boolean training) {
    NDArray idArray = m.create(ids).toType(DataType.INT64, false); // (B, T)
    NDArray keepArray = m.create(keep); // (B, T)
    return denoiser.forward(store, new NDList(idArray, keepArray), training).head();
  }

  public NDManager manager() {
    return manager;
  }

  public void save(DataOutputStream out) throws IOException {
    denoiser.saveParameters(out);
  }

  public void load(DataInputStream in) throws IOException, ai.djl.MalformedModelException {
    denoiser.loadParameters(manager, in);
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
