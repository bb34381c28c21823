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
 * @param pairs {@code true}: the corpus file holds prompt → response pairs (JSON Lines or TSV,
 *     {@link dev.diffulab.core.pairs.PairCorpus}); the model is trained to answer: the prompt
 *     is never noised and the response is what it learns. A built-in task corpus is always pairs
 * @param taskExamples how many problems a built-in task corpus ({@code multiplication-4x4}, …)
 *     generates
 */
public record DataConfig(
    String corpus,
    String tokenizer,
    int tinytalesStories,
    double validationFraction,
    boolean packing,
    int lengthBuckets,
    int lengthGroups,
    Order order,
    boolean pairs,
    int taskExamples) {
  public static final String TINYTALES = "tinytales";
  /** The built-in task tokenizer: digits and the signs of the arithmetic tasks. */
  public static final String DIGITS = "digits";

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
        Order.EPOCHS, false, 20000);
  }

  public DataConfig(String corpus, String tokenizer, int tinytalesStories,
      double validationFraction, boolean packing, int lengthBuckets, int lengthGroups,
      Order order) {
    this(corpus, tokenizer, tinytalesStories, validationFraction, packing, lengthBuckets,
        lengthGroups, order, false, 20000);
  }

  public boolean isTinyTales() {
    return TINYTALES.equals(corpus);
  }

  /** Whether the corpus is a built-in generated task ({@code multiplication-4x4}, …). */
  public boolean isTask() {
    return dev.diffulab.core.pairs.Tasks.isTask(corpus);
  }

  /** Whether the run learns prompt → response pairs rather than plain text. */
  public boolean isPairs() {
    return pairs || isTask();
  }

  public DataConfig withCorpus(String newCorpus) {
    return new DataConfig(newCorpus, tokenizer, tinytalesStories, validationFraction, packing,
        lengthBuckets, lengthGroups, order, pairs, taskExamples);
  }

  public DataConfig withTokenizer(String newTokenizer) {
    return new DataConfig(corpus, newTokenizer, tinytalesStories, validationFraction, packing,
        lengthBuckets, lengthGroups, order, pairs, taskExamples);
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
        ConfigName.parse(Order.class, f.key("order"), f.string("order", "epochs")),
        f.bool("pairs", false),
        f.integer("task_examples", 20000, 10, 10_000_000));
    if (c.isTask()) {
      String problem = dev.diffulab.core.pairs.Tasks.problem(c.corpus());
      if (problem != null) {
        throw ConfigException.at(f.key("corpus"), problem);
      }
    }
    if (c.isPairs() && c.packing()) {
      throw ConfigException.at(f.key("packing"), "must be false for prompt → response pairs"
          + " (each pair is its own row, its response padded to model.seq_len)");
    }
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
