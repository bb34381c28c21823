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
 */
public record DataConfig(
    String corpus,
    String tokenizer,
    int tinytalesStories,
    double validationFraction,
    boolean packing,
    int lengthBuckets,
    int lengthGroups) {
  public static final String TINYTALES = "tinytales";

  /** One document per row, batches drawn at random and run whole. */
  public DataConfig(String corpus, String tokenizer, int tinytalesStories,
      double validationFraction, boolean packing, int lengthBuckets) {
    this(corpus, tokenizer, tinytalesStories, validationFraction, packing, lengthBuckets, 1);
  }

  public boolean isTinyTales() {
    return TINYTALES.equals(corpus);
  }

  public DataConfig withCorpus(String newCorpus) {
    return new DataConfig(newCorpus, tokenizer, tinytalesStories, validationFraction, packing,
        lengthBuckets, lengthGroups);
  }

  public DataConfig withTokenizer(String newTokenizer) {
    return new DataConfig(corpus, newTokenizer, tinytalesStories, validationFraction, packing,
        lengthBuckets, lengthGroups);
  }

  static DataConfig read(JsonFields f) {
    DataConfig c = new DataConfig(
        nonBlank(f, "corpus", TINYTALES),
        nonBlank(f, "tokenizer", TINYTALES),
        f.integer("tinytales_stories", 20000, 10, 10_000_000),
        f.number("validation_fraction", 0.05, 0.0, 0.5),
        f.bool("packing", false),
        f.integer("length_buckets", 1, 1, 1000),
        f.integer("length_groups", 1, 1, 64));
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
