package dev.diffulab.engine.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
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
  private final AbstractBlock block;
  private final ModelConfig config;
  private final int vocab;
  private final NDManager manager;
  private final ParameterStore store;

  /** A masked-diffusion {@link Denoiser}. */
  public DenoiserModel(ModelConfig config, int vocab, boolean[] special, NDManager parent,
      long seed) {
    this(new Denoiser(config, vocab, special), config, vocab, parent, seed,
        new Shape(1, config.seqLen()), new Shape(1, config.seqLen()));
    this.special = special.clone();
  }

  /** Tokens the model never predicts ([PAD], [MASK], [UNK], …): never a training target either. */
  private boolean[] special = new boolean[0];

  public boolean[] special() {
    return special.clone();
  }

  /**
   * Any denoiser block (the CDCD one, a future family's) with its parameters initialised for
   * the given example input shapes.
   *
   * @param special ids the model never predicts
   */
  public static DenoiserModel of(AbstractBlock block, ModelConfig config, int vocab,
      boolean[] special, NDManager parent, long seed, Shape... inputShapes) {
    DenoiserModel m = new DenoiserModel(block, config, vocab, parent, seed, inputShapes);
    m.special = special.clone();
    return m;
  }

  private DenoiserModel(AbstractBlock block, ModelConfig config, int vocab, NDManager parent,
      long seed, Shape... inputShapes) {
    ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    this.manager = parent.newSubManager();
    this.block = block;
    this.config = config;
    this.vocab = vocab;
    this.model = Model.newInstance("denoiser", parent.getDevice());
    model.setBlock(block);
    block.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    block.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
    block.setInitializer(new ConstantInitializer(1f), Parameter.Type.GAMMA);
    block.setInitializer(new ConstantInitializer(0f), Parameter.Type.BETA);
    block.initialize(manager, DataType.FLOAT32, inputShapes);
    for (Parameter p : parameters()) {
      p.getArray().setRequiresGradient(true);
    }
    this.store = new ParameterStore(manager, false);
  }

  public ModelConfig config() {
    return config;
  }

  public int vocab() {
    return vocab;
  }

  public AbstractBlock block() {
    return block;
  }

  public ParameterStore store() {
    return store;
  }

  public Device device() {
    return manager.getDevice();
  }

  public List<Parameter> parameters() {
    List<Parameter> out = new ArrayList<>();
    block.getParameters().forEach(p -> out.add(p.getValue()));
    return out;
  }

  public long parameterCount() {
    return parameters().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  /** Logits (B, T, V) for token ids (B, T) with padding mask (B, T), made in {@code m}. */
  public NDArray logits(NDManager m, int[][] ids, float[][] keep, boolean training) {
    NDArray idArray = m.create(ids).toType(DataType.INT64, false); // (B, T)
    NDArray keepArray = m.create(keep); // (B, T)
    return block.forward(store, new NDList(idArray, keepArray), training).head();
  }

  /** The vocabulary head of either family's denoiser. */
  public VocabularyHead head() {
    return (VocabularyHead) block;
  }

  /**
   * Final hidden states (B, T, D) of the masked denoiser for token ids (B, T) with padding mask
   * (B, T), made in {@code m}: what {@link TokenCrossEntropy} gathers from.
   */
  public NDArray hidden(NDManager m, int[][] ids, float[][] keep, boolean training) {
    NDArray idArray = m.create(ids).toType(DataType.INT64, false); // (B, T)
    NDArray keepArray = m.create(keep); // (B, T)
    return ((Denoiser) block).hidden(store, idArray, keepArray, training);
  }

  /**
   * As {@link #hidden(NDManager, int[][], float[][], boolean)} for a batch whose rows may hold
   * several documents: {@code segment} (B × T) is 0 for padding and 1, 2, … for the documents
   * of a row, which attend only within themselves.
   */
  public NDArray hidden(NDManager m, int[][] ids, int[][] segment, boolean training) {
    NDArray idArray = m.create(ids).toType(DataType.INT64, false); // (B, T)
    return ((Denoiser) block).hidden(store, idArray, Layout.of(m, segment), training);
  }

  public NDManager manager() {
    return manager;
  }

  public void save(DataOutputStream out) throws IOException {
    block.saveParameters(out);
  }

  /**
   * Reads parameters written by {@link #save}. Fails when a stored tensor's shape differs from
   * this model's — a checkpoint whose tokenizer or config does not fit its parameters — naming
   * the first parameter that does not fit, rather than failing later inside sampling.
   */
  public void load(DataInputStream in) throws IOException, ai.djl.MalformedModelException {
    java.util.Map<String, ai.djl.ndarray.types.Shape> expected = new java.util.LinkedHashMap<>();
    for (var pair : block.getParameters()) {
      if (pair.getValue().isInitialized()) {
        expected.put(pair.getKey(), pair.getValue().getArray().getShape());
      }
    }
    block.loadParameters(manager, in);
    for (var pair : block.getParameters()) {
      ai.djl.ndarray.types.Shape now = pair.getValue().getArray().getShape();
      ai.djl.ndarray.types.Shape want = expected.get(pair.getKey());
      if (want != null && !want.equals(now)) {
        throw new ai.djl.MalformedModelException("parameter " + pair.getKey() + " is " + now
            + " in the file but " + want + " for this config and tokenizer (vocabulary "
            + vocab + ")");
      }
    }
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
