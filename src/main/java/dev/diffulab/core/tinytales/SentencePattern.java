package dev.diffulab.core.tinytales;

import java.util.ArrayList;
import java.util.List;

/**
 * One sentence shape of the grammar: literal words and typed {@link Slot}s, e.g. {@code "{SUBJ}
 * lost {POSS} {OADJ} {OBJ} at the {PLACE} ."}. A pattern whose first element is its subject may
 * be opened by a time phrase ("One day ,").
 */
record SentencePattern(String text, Effect effect, List<String> elements, boolean openable) {

  static SentencePattern of(Effect effect, String text) {
    List<String> elements = List.of(text.split(" "));
    boolean openable = elements.getFirst().equals("{SUBJ}") && effect != Effect.SECOND
        && effect != Effect.INTRO;
    return new SentencePattern(text, effect, elements, openable);
  }

  /** A slot and the words it matched. */
  record Binding(Slot slot, String value, int position) {
  }

  /**
   * Every way {@code tokens} (one sentence, final period included) matches this pattern; each is
   * the list of slot bindings in order. Usually zero or one.
   */
  List<List<Binding>> match(List<String> tokens) {
    List<List<Binding>> results = new ArrayList<>();
    if (openable) {
      for (String opener : Lexicon.OPENERS) {
        List<String> words = List.of(opener.split(" "));
        if (startsWith(tokens, 0, words)) {
          List<Binding> b = new ArrayList<>();
          b.add(new Binding(Slot.OPEN, opener, 0));
          matchFrom(tokens, words.size(), 0, b, results);
        }
      }
    }
    matchFrom(tokens, 0, 0, new ArrayList<>(), results);
    return results;
  }

  private void matchFrom(
      List<String> tokens, int at, int element, List<Binding> bound, List<List<Binding>> out) {
    if (element == elements.size()) {
      if (at == tokens.size()) {
        out.add(List.copyOf(bound));
      }
      return;
    }
    if (at >= tokens.size()) {
      return;
    }
    String e = elements.get(element);
    if (!e.startsWith("{")) {
      if (tokens.get(at).equals(e)) {
        matchFrom(tokens, at + 1, element + 1, bound, out);
      }
      return;
    }
    Slot slot = Slot.of(e);
    for (String phrase : candidates(slot, tokens.get(at))) {
      List<String> words = List.of(phrase.split(" "));
      if (startsWith(tokens, at, words)) {
        bound.add(new Binding(slot, phrase, at));
        matchFrom(tokens, at + words.size(), element + 1, bound, out);
        bound.removeLast();
      }
    }
  }

  /** The words a slot could stand for, given the token where it starts. */
  private static List<String> candidates(Slot slot, String token) {
    return switch (slot) {
      case NEW -> Lexicon.isName(token) ? List.of(token) : List.of();
      case SUBJ ->
        Lexicon.isName(token) || isSubjectPronoun(token) ? List.of(token) : List.of();
      case PRON -> isSubjectPronoun(token) ? List.of(token) : List.of();
      case POSS -> List.of("his", "her", "their").contains(token) ? List.of(token) : List.of();
      case OTHER ->
        Lexicon.isName(token) || token.equals("him") || token.equals("her")
            ? List.of(token)
            : List.of();
      case ADJ -> only(Lexicon.ADJECTIVES, token);
      case KIND -> only(Lexicon.KINDS, token);
      case REL -> only(Lexicon.RELATIONS, token);
      case PLACE -> only(Lexicon.PLACES, token);
      case OBJ -> only(Lexicon.OBJECTS, token);
      case OADJ -> only(Lexicon.OBJECT_ADJECTIVES, token);
      case GOOD -> only(Lexicon.GOOD_FEELINGS, token);
      case BAD -> only(Lexicon.BAD_FEELINGS, token);
      case LOC -> Lexicon.LOCATIONS;
      case OPEN -> Lexicon.OPENERS;
    };
  }

  static boolean isSubjectPronoun(String token) {
    return switch (token) {
      case "he", "she", "they", "He", "She", "They" -> true;
      default -> false;
    };
  }

  private static List<String> only(List<String> words, String token) {
    return words.contains(token) ? List.of(token) : List.of();
  }

  private static boolean startsWith(List<String> tokens, int at, List<String> words) {
    if (at + words.size() > tokens.size()) {
      return false;
    }
    for (int i = 0; i < words.size(); i++) {
      if (!tokens.get(at + i).equals(words.get(i))) {
        return false;
      }
    }
    return true;
  }
}
