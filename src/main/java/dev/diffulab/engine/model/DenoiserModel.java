package dev.diffulab.engine.model;

import ai.djl.Device;
import ai.djl.Model;
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
 * A denoiser block with its parameters on a device: initialised (GPT-2 style, N(0, 0.02) weights,
 * zero biases, unit LayerNorm gains), saved and loaded. {@code B} is the family's block (the masked
 * {@link Denoiser}, CDCD's, a future family's), so each family's code reaches its own block's
 * methods without a cast; code that serves every family holds a {@code DenoiserModel<?>}.
 */
public final class DenoiserModel<B extends AbstractBlock & VocabularyHead>
    implements
      AutoCloseable {
  private final Model model;
  private final B block;
  private final ModelConfig config;
  private final int vocab;
  private final NDManager manager;
  private final ParameterStore store;

  /** A masked-diffusion {@link Denoiser}. */
  public static DenoiserModel<Denoiser> masked(ModelConfig config, int vocab, boolean[] special,
      NDManager parent, long seed) {
    return of(new Denoiser(config, vocab, special), config, vocab, special, parent, seed,
        new Shape(1, config.seqLen()), new Shape(1, config.seqLen()));
  }

  /**
   * The autoregressive baseline: the masked family's {@link Denoiser}, same size, as a causal
   * decoder.
   */
  public static DenoiserModel<Denoiser> causal(ModelConfig config, int vocab, boolean[] special,
      NDManager parent, long seed) {
    return of(new Denoiser(config, vocab, special, true), config, vocab, special, parent, seed,
        new Shape(1, config.seqLen()), new Shape(1, config.seqLen()));
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
  public static <B extends AbstractBlock & VocabularyHead> DenoiserModel<B> of(B block,
      ModelConfig config, int vocab, boolean[] special, NDManager parent, long seed,
      Shape... inputShapes) {
    DenoiserModel<B> m = new DenoiserModel<>(block, config, vocab, parent, seed, inputShapes);
    m.special = special.clone();
    return m;
  }

  /**
   * One part of a model built of several blocks (a latent-diffusion model's autoencoder), as a
   * model of its own: its block is {@code part}, a child of {@code whole}'s, with {@code whole}'s
   * parameter store and manager; its parameters are the part's only. Closing it closes nothing,
   * {@code whole} owns them.
   *
   * @param special ids the part never predicts
   */
  public static <T extends AbstractBlock & VocabularyHead> DenoiserModel<T> part(
      DenoiserModel<?> whole, T part, boolean[] special) {
    DenoiserModel<T> m = new DenoiserModel<>(whole, part);
    m.special = special.clone();
    return m;
  }

  private DenoiserModel(DenoiserModel<?> whole, B part) {
    this.model = null;
    this.block = part;
    this.config = whole.config;
    this.vocab = whole.vocab;
    this.manager = whole.manager;
    this.store = whole.store;
  }

  private DenoiserModel(B block, ModelConfig config, int vocab, NDManager parent,
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

  public B block() {
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

  /** The vocabulary head of the family's denoiser. */
  public VocabularyHead head() {
    return block;
  }

  /**
   * This model as one whose block is a {@code type}: for the family that built it, which gets it
   * back from code that serves every family; fails, naming both, on another family's model.
   */
  @SuppressWarnings("unchecked")
  public <T extends AbstractBlock & VocabularyHead> DenoiserModel<T> as(Class<T> type) {
    if (!type.isInstance(block)) {
      throw new IllegalArgumentException("a " + block.getClass().getSimpleName()
          + " model is not a " + type.getSimpleName() + " model");
    }
    return (DenoiserModel<T>) this; // checked above: the block is a T
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
    if (model != null) { // a part's model and manager belong to the whole
      model.close();
      manager.close();
    }
  }
}
