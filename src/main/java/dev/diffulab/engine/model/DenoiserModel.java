package dev.diffulab.engine.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
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

  /** The first bytes of a half-precision parameter file ("DLH1"), never those of DJL's. */
  static final int HALF_MAGIC = 0x444C4831;
  /** The largest finite float16. */
  private static final float HALF_MAX = 65504f;

  /**
   * Writes the parameters as float16 — half the bytes of {@link #save}, for sharing a trained
   * model — in DiffuLab's own layout (DJL 0.35 cannot read its own float16 arrays back): the
   * magic {@code DLH1}, the parameter count, then for each its name, shape and values.
   * {@link #load} reads either layout and widens these back to float32.
   */
  public void saveHalf(DataOutputStream out) throws IOException {
    var params = block.getParameters();
    out.writeInt(HALF_MAGIC);
    out.writeInt(params.size());
    for (var pair : params) {
      NDArray a = pair.getValue().getArray();
      out.writeUTF(pair.getKey());
      long[] shape = a.getShape().getShape();
      out.writeInt(shape.length);
      for (long d : shape) {
        out.writeLong(d);
      }
      float[] v;
      if (a.getDataType() == DataType.FLOAT32) {
        v = a.toFloatArray();
      } else {
        try (NDArray wide = a.toType(DataType.FLOAT32, true)) {
          v = wide.toFloatArray();
        }
      }
      out.writeInt(v.length);
      for (float x : v) {
        if (!(Math.abs(x) <= HALF_MAX)) {
          throw new IllegalArgumentException("parameter " + pair.getKey() + " holds " + x
              + ", which float16 cannot keep; share this model at full precision");
        }
        out.writeShort(Float.floatToFloat16(x));
      }
    }
  }

  /**
   * Reads parameters written by {@link #save} or {@link #saveHalf}. Fails when a stored tensor's
   * shape differs from this model's — a checkpoint whose tokenizer or config does not fit its
   * parameters — naming the first parameter that does not fit, rather than failing later inside
   * sampling.
   */
  public void load(DataInputStream in) throws IOException, ai.djl.MalformedModelException {
    if (in.markSupported()) {
      in.mark(8);
      int magic = in.readInt();
      if (magic == HALF_MAGIC) {
        loadHalf(in);
        return;
      }
      in.reset();
    }
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
        throw misfit(pair.getKey(), now, want);
      }
    }
    for (Parameter p : parameters()) {
      p.getArray().setRequiresGradient(true);
    }
  }

  /** The values of a {@link #saveHalf} file, after its magic, into this model's arrays. */
  private void loadHalf(DataInputStream in) throws IOException,
      ai.djl.MalformedModelException {
    var params = block.getParameters();
    int count = in.readInt();
    if (count != params.size()) {
      throw new ai.djl.MalformedModelException("the file holds " + count + " parameters but"
          + " this config builds " + params.size());
    }
    for (var pair : params) {
      String name = in.readUTF();
      if (!name.equals(pair.getKey())) {
        throw new ai.djl.MalformedModelException("parameter " + name + " in the file where"
            + " this config has " + pair.getKey());
      }
      int rank = in.readInt();
      if (rank < 0 || rank > 8) {
        throw new ai.djl.MalformedModelException("parameter " + name + " has rank " + rank);
      }
      long[] dims = new long[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readLong();
      }
      ai.djl.ndarray.types.Shape now = new ai.djl.ndarray.types.Shape(dims);
      NDArray a = pair.getValue().getArray();
      if (!now.equals(a.getShape())) {
        throw misfit(name, now, a.getShape());
      }
      int n = in.readInt();
      if (n != a.size()) {
        throw new ai.djl.MalformedModelException("parameter " + name + " holds " + n
            + " values for shape " + now);
      }
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = Float.float16ToFloat(in.readShort());
      }
      a.set(java.nio.FloatBuffer.wrap(v));
      a.setRequiresGradient(true);
    }
  }

  private ai.djl.MalformedModelException misfit(String name, ai.djl.ndarray.types.Shape now,
      ai.djl.ndarray.types.Shape want) {
    return new ai.djl.MalformedModelException("parameter " + name + " is " + now
        + " in the file but " + want + " for this config and tokenizer (vocabulary "
        + vocab + ")");
  }

  @Override
  public void close() {
    if (model != null) { // a part's model and manager belong to the whole
      model.close();
      manager.close();
    }
  }
}
