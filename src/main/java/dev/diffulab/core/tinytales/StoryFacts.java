package dev.diffulab.core.tinytales;

import dev.diffulab.core.tinytales.SentencePattern.Binding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a valid story is about, attribute by attribute: the values the validator's parse bound.
 * A value counts once per story (a lost ball that is missed and found is one ball), except the
 * sentence patterns, which count once per sentence.
 *
 * @param values attribute → the story's values, in the order of {@link #ATTRIBUTES}
 */
public record StoryFacts(Map<String, List<String>> values) {
  /** The attributes, in the order they are reported. */
  public static final List<String> ATTRIBUTES = List.of("gender", "name", "kind", "adjective",
      "relation", "place", "object", "object word", "found at", "feeling", "opener", "pattern",
      "sentences");

  public StoryFacts {
    values = Map.copyOf(values);
  }

  /** The values of one attribute (empty when the story has none). */
  public List<String> of(String attribute) {
    return values.getOrDefault(attribute, List.of());
  }

  /** Collects the bindings sentence by sentence while the validator parses. */
  static final class Builder {
    private final Map<String, Set<String>> sets = new LinkedHashMap<>();
    private final List<String> patterns = new ArrayList<>();

    void sentence(String pattern, List<Binding> bindings) {
      patterns.add(pattern);
      for (Binding b : bindings) {
        switch (b.slot()) {
          case NEW -> {
            add("name", b.value());
            add("gender", Lexicon.genderOfName(b.value()).noun);
          }
          case KIND -> add("kind", b.value());
          case ADJ -> add("adjective", b.value());
          case REL -> add("relation", b.value());
          case PLACE -> add("place", b.value());
          case OBJ -> add("object", b.value());
          case OADJ -> add("object word", b.value());
          case LOC -> add("found at", b.value());
          case GOOD, BAD -> add("feeling", b.value());
          case OPEN -> add("opener", b.value());
          default -> {
          }
        }
      }
    }

    private void add(String attribute, String value) {
      sets.computeIfAbsent(attribute, k -> new LinkedHashSet<>()).add(value);
    }

    StoryFacts build(int sentences) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (String a : ATTRIBUTES) {
        switch (a) {
          case "pattern" -> out.put(a, List.copyOf(patterns));
          case "sentences" -> out.put(a, List.of(Integer.toString(sentences)));
          default -> out.put(a, List.copyOf(sets.getOrDefault(a, Set.of())));
        }
      }
      return new StoryFacts(out);
    }
  }
}
