package dev.diffulab.core.config;

/**
 * Where training text comes from and how it becomes token sequences.
 *
 * @param corpus {@code "tinytales"} for the embedded generator, or a path to a TinyStories text
 *     file, a JSON Lines file or a plain-text file
 * @param tokenizer {@code "tinytales"} for the shipped tokenizer, or a path to a tokenizer.json
 * @param tinytalesStories how many stories the generator writes when {@code corpus} is TinyTales
 * @param validationFraction share of documents held out, chosen deterministically by seed
 * @param packing {@code false}: one document per sequence, padded; {@code true}: documents packed
 *     back to back
 * @param lengthBuckets batches per length-sorted pool: 1 draws batches at random (each padded to
 *     its longest document); k sorts k batches' worth of documents by length before cutting
 *     them into batches, so less padding is computed but a batch's documents are more alike
 * @param lengthGroups at most this many groups of alike-length rows a step's batch runs as, each
 *     padded to its own longest row, their gradients summed: the batch stays a random draw and
 *     almost no padding is computed ({@link dev.diffulab.core.data.LengthGroups}); 1 runs the
 *     batch whole
 * @param order how batches are drawn: {@link Order#EPOCHS} shuffled passes, every document once
 *     a pass; {@link Order#DRAWS} every document drawn at random, with replacement
 */
public record DataConfig(
    String corpus,
    String tokenizer,
    int tinytalesStories,
    double validationFraction,
    boolean packing,
    int lengthBuckets,
    int lengthGroups,
    Order order) {
  public static final String TINYTALES = "tinytales";

  /** How a run's batches are drawn from its documents (or packed rows). */
  public enum Order implements ConfigName {
    /** Shuffled passes: every document once a pass. */
    EPOCHS("epochs"),
    /**
     * Every document (or row) of a batch drawn at random with replacement, independently of the
     * others: some are seen more often than others.
     */
    DRAWS("draws");

    private final String id;

    Order(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** One document per row, batches drawn at random and run whole. */
  public DataConfig(String corpus, String tokenizer, int tinytalesStories,
      double validationFraction, boolean packing, int lengthBuckets) {
    this(corpus, tokenizer, tinytalesStories, validationFraction, packing, lengthBuckets, 1,
        Order.EPOCHS);
  }

  public boolean isTinyTales() {
    return TINYTALES.equals(corpus);
  }

  public DataConfig withCorpus(String newCorpus) {
    return new DataConfig(newCorpus, tokenizer, tinytalesStories, validationFraction, packing,
        lengthBuckets, lengthGroups, order);
  }

  public DataConfig withTokenizer(String newTokenizer) {
    return new DataConfig(corpus, newTokenizer, tinytalesStories, validationFraction, packing,
        lengthBuckets, lengthGroups, order);
  }

  static DataConfig read(JsonFields f) {
    DataConfig c = new DataConfig(
        nonBlank(f, "corpus", TINYTALES),
        nonBlank(f, "tokenizer", TINYTALES),
        f.integer("tinytales_stories", 20000, 10, 10_000_000),
        f.number("validation_fraction", 0.05, 0.0, 0.5),
        f.bool("packing", false),
        f.integer("length_buckets", 1, 1, 1000),
        f.integer("length_groups", 1, 1, 64),
        ConfigName.parse(Order.class, f.key("order"), f.string("order", "epochs")));
    f.finish();
    return c;
  }

  private static String nonBlank(JsonFields f, String name, String fallback) {
    String v = f.string(name, fallback);
    if (v.isBlank()) {
      throw ConfigException.at(f.key(name), "must not be empty");
    }
    return v;
  }
}
