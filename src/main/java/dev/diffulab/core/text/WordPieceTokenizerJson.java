package dev.diffulab.core.text;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a HuggingFace {@code tokenizer.json} for a BERT-style WordPiece model: BERT
 * pre-tokenisation (split on whitespace and punctuation), an optional lower-casing normaliser,
 * {@code [CLS] … [SEP]} post-processing and the WordPiece decoder that rejoins punctuation. The
 * vocabulary is the five special tokens (ids 0–4) followed by the given words and pieces in order,
 * so the same inputs always give the same file.
 */
public final class WordPieceTokenizerJson {
  public static final List<String> SPECIAL_TOKENS = List.of(SpecialTokens.PAD, SpecialTokens.UNK,
      SpecialTokens.CLS, SpecialTokens.SEP,
      SpecialTokens.MASK);

  private WordPieceTokenizerJson() {
  }

  /**
   * @param words whole words and {@code ##}-prefixed continuation pieces, in vocabulary order
   * @param lowercase whether the normaliser lower-cases text before lookup
   */
  public static String build(List<String> words, boolean lowercase) {
    Set<String> vocab = new LinkedHashSet<>(SPECIAL_TOKENS);
    vocab.addAll(words);
    List<String> ordered = new ArrayList<>(vocab);

    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", JsonNull.INSTANCE);
    root.add("padding", JsonNull.INSTANCE);
    JsonArray added = new JsonArray();
    for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
      JsonObject t = new JsonObject();
      t.addProperty("id", i);
      t.addProperty("content", SPECIAL_TOKENS.get(i));
      t.addProperty("single_word", false);
      t.addProperty("lstrip", false);
      t.addProperty("rstrip", false);
      t.addProperty("normalized", false);
      t.addProperty("special", true);
      added.add(t);
    }
    root.add("added_tokens", added);
    JsonObject normalizer = new JsonObject();
    normalizer.addProperty("type", "BertNormalizer");
    normalizer.addProperty("clean_text", true);
    normalizer.addProperty("handle_chinese_chars", true);
    normalizer.add("strip_accents", JsonNull.INSTANCE);
    normalizer.addProperty("lowercase", lowercase);
    root.add("normalizer", normalizer);
    JsonObject pre = new JsonObject();
    pre.addProperty("type", "BertPreTokenizer");
    root.add("pre_tokenizer", pre);
    root.add("post_processor", bertPostProcessor(ordered));
    JsonObject decoder = new JsonObject();
    decoder.addProperty("type", "WordPiece");
    decoder.addProperty("prefix", "##");
    decoder.addProperty("cleanup", true);
    root.add("decoder", decoder);
    JsonObject model = new JsonObject();
    model.addProperty("type", "WordPiece");
    model.addProperty("unk_token", SpecialTokens.UNK);
    model.addProperty("continuing_subword_prefix", "##");
    model.addProperty("max_input_chars_per_word", 100);
    JsonObject v = new JsonObject();
    for (int i = 0; i < ordered.size(); i++) {
      v.addProperty(ordered.get(i), i);
    }
    model.add("vocab", v);
    root.add("model", model);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
        .toJson(root) + "\n";
  }

  private static JsonObject bertPostProcessor(List<String> vocab) {
    JsonObject p = new JsonObject();
    p.addProperty("type", "TemplateProcessing");
    p.add("single", template(false));
    p.add("pair", template(true));
    JsonObject special = new JsonObject();
    for (String tok : List.of(SpecialTokens.CLS, SpecialTokens.SEP)) {
      JsonObject s = new JsonObject();
      s.addProperty("id", tok);
      JsonArray ids = new JsonArray();
      ids.add(vocab.indexOf(tok));
      s.add("ids", ids);
      JsonArray toks = new JsonArray();
      toks.add(tok);
      s.add("tokens", toks);
      special.add(tok, s);
    }
    p.add("special_tokens", special);
    return p;
  }

  private static JsonArray template(boolean pair) {
    JsonArray a = new JsonArray();
    a.add(piece("SpecialToken", SpecialTokens.CLS, 0));
    a.add(piece("Sequence", "A", 0));
    a.add(piece("SpecialToken", SpecialTokens.SEP, 0));
    if (pair) {
      a.add(piece("Sequence", "B", 1));
      a.add(piece("SpecialToken", SpecialTokens.SEP, 1));
    }
    return a;
  }

  private static JsonObject piece(String kind, String id, int typeId) {
    JsonObject inner = new JsonObject();
    inner.addProperty("id", id);
    inner.addProperty("type_id", typeId);
    JsonObject o = new JsonObject();
    o.add(kind, inner);
    return o;
  }
}
