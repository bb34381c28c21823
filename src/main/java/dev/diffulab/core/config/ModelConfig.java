package dev.diffulab.core.config;

/**
 * Size of the shared bidirectional transformer backbone.
 *
 * @param dModel width of every token vector
 * @param layers number of pre-LayerNorm transformer blocks
 * @param heads attention heads; must divide {@code dModel}
 * @param ffn hidden width of each block's GELU MLP
 * @param seqLen tokens per training sequence and the longest sample
 * @param tieEmbeddings whether the output projection reuses the token embedding
 * @param endPositions whether every token also learns its distance to its document's last
 *     token (as well as from its first): the model then knows where a story ends at every
 *     noise level, instead of inferring the length from how many tokens it attends to — the
 *     length-difference position encoding of Takase &amp; Okazaki (2019)
 */
public record ModelConfig(
    int dModel, int layers, int heads, int ffn, int seqLen, boolean tieEmbeddings,
    boolean endPositions) {
  public ModelConfig {
    if (dModel % heads != 0) {
      throw ConfigException.at(
          "model.heads", heads + " heads do not divide model.d_model = " + dModel);
    }
  }

  /** Without end positions, as every config written before they existed. */
  public ModelConfig(int dModel, int layers, int heads, int ffn, int seqLen,
      boolean tieEmbeddings) {
    this(dModel, layers, heads, ffn, seqLen, tieEmbeddings, false);
  }

  public static ModelConfig tiny() {
    return new ModelConfig(32, 1, 2, 64, 48, true);
  }

  static ModelConfig read(JsonFields f) {
    ModelConfig c = new ModelConfig(
        f.integer("d_model", 128, 8, 4096),
        f.integer("layers", 4, 1, 64),
        f.integer("heads", 4, 1, 64),
        f.integer("ffn", 512, 8, 16384),
        f.integer("seq_len", 96, 8, 4096),
        f.bool("tie_embeddings", true),
        f.bool("end_positions", false));
    f.finish();
    return c;
  }
}
