package dev.diffulab.engine.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.diffulab.core.InputException;
import dev.diffulab.core.data.CorpusReader;
import dev.diffulab.core.text.SpecialTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Any HuggingFace {@code tokenizer.json}, loaded through DJL's {@link HuggingFaceTokenizer}, with
 * what diffusion needs on top: the vocabulary by id, and the ids of the pad, mask and unknown
 * tokens. The file is parsed as JSON first so that a truncated or foreign file gets a message
 * naming it rather than a native error.
 */
public final class TextTokenizer implements AutoCloseable {
  /** The shipped TinyTales tokenizer, on the class path. */
  public static final String TINYTALES_RESOURCE = "/assets/tokenizer.json";

  private final HuggingFaceTokenizer hf;
  private final String json;
  private final String source;
  private final String[] vocab;
  private final int padId;
  private final int maskId;
  private final int unkId;
  private final boolean[] special;

  private TextTokenizer(HuggingFaceTokenizer hf, String json, String source, String[] vocab,
      boolean[] special) {
    this.hf = hf;
    this.json = json;
    this.source = source;
    this.vocab = vocab;
    this.special = special;
    this.padId = find(SpecialTokens.PAD_ALIASES, "pad");
    this.maskId = find(SpecialTokens.MASK_ALIASES, "mask");
    this.unkId = findOptional(SpecialTokens.UNK_ALIASES);
  }

  public static TextTokenizer load(Path file) {
    return fromJson(CorpusReader.readUtf8(file, "tokenizer file"), "tokenizer file " + file);
  }

  /**
   * The tokenizer a config names: the shipped TinyTales one for {@code "tinytales"}, otherwise
   * a tokenizer.json file.
   */
  public static TextTokenizer named(String name) {
    if (name.equals(dev.diffulab.core.config.DataConfig.TINYTALES)) {
      return tinyTales();
    }
    if (name.equals(dev.diffulab.core.config.DataConfig.DIGITS)) {
      return digits();
    }
    Path p = Path.of(name);
    if (java.nio.file.Files.isDirectory(p)) {
      throw new dev.diffulab.core.InputException("tokenizer " + p
          + " is a folder; choose its tokenizer.json");
    }
    return load(p);
  }

  public static TextTokenizer tinyTales() {
    try (InputStream in = TextTokenizer.class.getResourceAsStream(TINYTALES_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the shipped tokenizer " + TINYTALES_RESOURCE
            + " is missing from the class path");
      }
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "shipped TinyTales tokenizer");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the shipped tokenizer", e);
    }
  }

  /**
   * The built-in task tokenizer: one token for every digit and sign of the arithmetic tasks
   * ({@code 0}–{@code 9}, {@code + - * = ( ) #}), after the five special tokens, and the
   * continuation pieces {@code ##0}–{@code ##9}, so an unspaced number is one token a digit too.
   */
  public static TextTokenizer digits() {
    return fromJson(dev.diffulab.core.text.WordPieceTokenizerJson.build(DIGIT_WORDS, false),
        "built-in digits tokenizer");
  }

  private static final List<String> DIGIT_WORDS = List.of("0", "1", "2", "3", "4", "5", "6", "7",
      "8", "9", "+", "-", "*", "=", "(", ")", "#", "##0", "##1", "##2", "##3", "##4", "##5", "##6",
      "##7", "##8", "##9");

  /** More ids than any tokenizer has: a larger one is damage, not a vocabulary. */
  static final int MAX_VOCABULARY = 10_000_000;

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").strip();
  }

  /** Loads a tokenizer from its JSON text; {@code source} names it in error messages. */
  public static TextTokenizer fromJson(String json, String source) {
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(json);
      if (e == null || !e.isJsonObject()) {
        throw new InputException(source + " is not a tokenizer.json (no JSON object)");
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InputException(source + " is not valid JSON (truncated or damaged?)");
    }
    Map<Integer, String> byId = new HashMap<>();
    Set<Integer> specialIds = new java.util.HashSet<>();
    if (!root.has("model") || !root.get("model").isJsonObject()
        || !root.getAsJsonObject("model").has("vocab")) {
      throw new InputException(source + " has no model vocabulary (\"model\".\"vocab\")");
    }
    JsonElement v = root.getAsJsonObject("model").get("vocab");
    try {
      if (v.isJsonObject()) {
        v.getAsJsonObject().entrySet().forEach(en -> byId.put(en.getValue().getAsInt(),
            en.getKey()));
      } else if (v.isJsonArray()) {
        // Unigram: [[piece, score], …] with the id as the position
        for (int i = 0; i < v.getAsJsonArray().size(); i++) {
          byId.put(i, v.getAsJsonArray().get(i).getAsJsonArray().get(0).getAsString());
        }
      }
      if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
        for (JsonElement t : root.getAsJsonArray("added_tokens")) {
          JsonObject o = t.getAsJsonObject();
          int id = o.get("id").getAsInt();
          byId.put(id, o.get("content").getAsString());
          if (o.has("special") && o.get("special").getAsBoolean()) {
            specialIds.add(id);
          }
        }
      }
    } catch (RuntimeException e) {
      // a value of the wrong kind somewhere in the vocabulary (Gson says so in several ways)
      throw new InputException(source + " has a damaged vocabulary (\"model\".\"vocab\" or"
          + " \"added_tokens\"): " + oneLine(e.getMessage()));
    }
    for (int id : byId.keySet()) {
      if (id < 0 || id >= MAX_VOCABULARY) {
        throw new InputException(source + " has a token id out of range: " + id);
      }
    }
    if (byId.isEmpty()) {
      throw new InputException(source + " has an empty vocabulary");
    }
    // A tokenizer without a pad or mask token (GPT-2's) gets them added as special tokens after
    // its vocabulary, as HuggingFace's add_special_tokens does; checkpoints keep the result.
    java.util.Collection<String> tokens = byId.values();
    boolean addPad = tokens.stream().noneMatch(SpecialTokens.PAD_ALIASES::contains);
    boolean addMask = tokens.stream().noneMatch(SpecialTokens.MASK_ALIASES::contains);
    if (addPad || addMask) {
      int next = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
      if (!root.has("added_tokens") || !root.get("added_tokens").isJsonArray()) {
        root.add("added_tokens", new com.google.gson.JsonArray());
      }
      for (String t : addPad && addMask
          ? List.of(SpecialTokens.PAD, SpecialTokens.MASK)
          : List.of(addPad ? SpecialTokens.PAD : SpecialTokens.MASK)) {
        JsonObject o = new JsonObject();
        o.addProperty("id", next);
        o.addProperty("content", t);
        o.addProperty("single_word", false);
        o.addProperty("lstrip", false);
        o.addProperty("rstrip", false);
        o.addProperty("normalized", false);
        o.addProperty("special", true);
        root.getAsJsonArray("added_tokens").add(o);
        byId.put(next, t);
        specialIds.add(next);
        next++;
      }
      json = root.toString();
    }
    int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow() + 1;
    String[] vocab = new String[size];
    Arrays.fill(vocab, "");
    byId.forEach((id, tok) -> vocab[id] = tok);
    boolean[] special = new boolean[size];
    specialIds.forEach(id -> special[id] = true);
    HuggingFaceTokenizer hf;
    try {
      hf = HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new InputException(source + " cannot be loaded by the tokenizer library: "
          + oneLine(e.getMessage()));
    }
    try {
      // a tokenizer that loads but cannot encode (a WordPiece vocabulary without its [UNK]) is
      // refused now, not in the middle of a run
      hf.encode("Once upon a time, qzxv jumped!", false, false);
    } catch (RuntimeException e) {
      hf.close();
      throw new InputException(source + " cannot encode text: " + oneLine(e.getMessage()));
    }
    return new TextTokenizer(hf, json, source, vocab, special);
  }

  private int find(Set<String> aliases, String what) {
    int id = findOptional(aliases);
    if (id < 0) {
      hf.close();
      throw new InputException(source + " has no " + what + " token (one of " + aliases + ")");
    }
    special[id] = true;
    return id;
  }

  private int findOptional(Set<String> aliases) {
    for (int i = 0; i < vocab.length; i++) {
      if (aliases.contains(vocab[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Token ids of {@code text}, without special tokens. */
  public int[] encode(String text) {
    Encoding e;
    try {
      e = hf.encode(text, false, false);
    } catch (RuntimeException ex) {
      // the library's own errors (a vocabulary without its unknown token, say)
      throw new InputException(source + " cannot encode text: " + oneLine(ex.getMessage()));
    }
    return Arrays.stream(e.getIds()).mapToInt(Math::toIntExact).toArray();
  }

  /** The tokens of {@code text} as strings, as the model sees them. */
  public List<String> tokens(String text) {
    return List.of(hf.encode(text, false, false).getTokens());
  }

  /** Text for {@code ids}; special tokens are left out. */
  public String decode(int[] ids) {
    return hf.decode(Arrays.stream(ids).asLongStream().toArray(), true);
  }

  public String token(int id) {
    return id >= 0 && id < vocab.length ? vocab[id] : "";
  }

  public int vocabSize() {
    return vocab.length;
  }

  public int padId() {
    return padId;
  }

  public int maskId() {
    return maskId;
  }

  /** The separator ({@code [SEP]}) between a prompt and its response, or -1 when there is none. */
  public int sepId() {
    for (int i = 0; i < vocab.length; i++) {
      if (SpecialTokens.SEP.equals(vocab[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The unknown token's id, or -1 for a byte-level tokenizer that has none. */
  public int unkId() {
    return unkId;
  }

  /** Whether {@code id} is a special token, which the model may never predict. */
  public boolean isSpecial(int id) {
    return special[id];
  }

  /** Which ids are special tokens, which the model may never predict. */
  public boolean[] specialMask() {
    return special.clone();
  }

  /** The tokenizer.json text, copied into checkpoints so they are self-contained. */
  public String json() {
    return json;
  }

  public String source() {
    return source;
  }

  @Override
  public void close() {
    hf.close();
  }
}
