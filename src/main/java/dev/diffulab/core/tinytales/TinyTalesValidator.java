package dev.diffulab.core.tinytales;

import dev.diffulab.core.tinytales.SentencePattern.Binding;
import dev.diffulab.core.tinytales.StoryState.StoryError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a text is a well-formed TinyTales story: every word in the lexicon, every
 * sentence one of the grammar's patterns, 3 to 6 sentences, and the story consistent — names
 * belong to the introduced characters and fit their kind or relation, pronouns and possessives
 * agree with the character they refer to, and causes come before their effects (a thing is lost
 * before it is missed, searched for or found; thanks follow help). The quality metric of every
 * quick test.
 */
public final class TinyTalesValidator {
  public static final int MIN_SENTENCES = 3;
  public static final int MAX_SENTENCES = 6;

  private final Set<String> vocabulary = new HashSet<>(Lexicon.words());

  /** The verdict on one text: valid, or the first error in words a person can read. */
  public record Verdict(boolean valid, String firstError) {
    static final Verdict OK = new Verdict(true, null);

    static Verdict error(String message) {
      return new Verdict(false, message);
    }
  }

  public Verdict validate(String text) {
    return parse(text).verdict();
  }

  /**
   * The facts of a valid story — who, what kind, where, which object, where it was found, the
   * feelings, the sentence patterns — or empty when the text is not a valid story. What the
   * distribution-match measures count.
   */
  public java.util.Optional<StoryFacts> facts(String text) {
    return java.util.Optional.ofNullable(parse(text).facts());
  }

  private record Parse(Verdict verdict, StoryFacts facts) {
    static Parse error(String message) {
      return new Parse(Verdict.error(message), null);
    }
  }

  private Parse parse(String text) {
    List<String> tokens = Words.split(text == null ? "" : text);
    if (tokens.isEmpty()) {
      return Parse.error("the text is empty");
    }
    for (int i = 0; i < tokens.size(); i++) {
      if (!vocabulary.contains(tokens.get(i))) {
        return Parse.error("unknown word '" + tokens.get(i) + "' at word " + (i + 1));
      }
    }
    List<List<String>> sentences = sentences(tokens);
    if (!tokens.getLast().equals(".")) {
      return Parse.error(
          "broken sentence: sentence " + sentences.size() + " does not end with a period");
    }
    if (sentences.size() < MIN_SENTENCES || sentences.size() > MAX_SENTENCES) {
      return Parse.error(
          "a story has "
              + MIN_SENTENCES
              + " to "
              + MAX_SENTENCES
              + " sentences, this one has "
              + sentences.size());
    }
    StoryState state = new StoryState();
    StoryFacts.Builder facts = new StoryFacts.Builder();
    for (int i = 0; i < sentences.size(); i++) {
      try {
        state = advance(state, sentences.get(i), facts);
      } catch (StoryError e) {
        String where = "sentence " + (i + 1) + " (\"" + Words.join(sentences.get(i)) + "\")";
        return Parse.error(
            e.getMessage() == null
                ? "broken sentence: " + where + " fits no pattern"
                : where + ": " + e.getMessage());
      }
    }
    return new Parse(Verdict.OK, facts.build(sentences.size()));
  }

  /**
   * The story state after one more sentence: the first parse of the sentence that the story's
   * rules accept. Fails with the first rule it breaks, or with a null message when the sentence
   * fits no pattern at all.
   */
  static StoryState advance(StoryState state, List<String> sentence) throws StoryError {
    return advance(state, sentence, null);
  }

  private static StoryState advance(StoryState state, List<String> sentence,
      StoryFacts.Builder facts) throws StoryError {
    StoryError first = null;
    for (SentencePattern pattern : TinyTalesGrammar.PATTERNS) {
      for (List<Binding> bindings : pattern.match(sentence)) {
        StoryState attempt = state.copy();
        try {
          attempt.apply(pattern, bindings);
          if (facts != null) {
            facts.sentence(pattern.text(), bindings);
          }
          return attempt;
        } catch (StoryError e) {
          if (first == null) {
            first = e;
          }
        }
      }
    }
    throw first != null ? first : new StoryError(null);
  }

  private static List<List<String>> sentences(List<String> tokens) {
    List<List<String>> out = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String t : tokens) {
      current.add(t);
      if (t.equals(".")) {
        out.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
