package dev.diffulab.core.tinytales;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in summary task: TinyTales stories, each with a one-sentence summary written from
 * the facts the validator parses out of it — who (name, adjective, kind), a relation and their
 * name, what happened to which object (its word and name), where it was found, a place, a
 * feeling — and an exact grader: the facts a summary states, read back by the same lexicon,
 * against the facts the story's own summary states. A summary is all right when it states every
 * fact and invents none.
 */
public final class StorySummaries {
  /** The attributes a summary can state, in the order they are read. */
  public static final List<String> FACTS = List.of("name", "adjective", "kind", "relation",
      "other name", "object word", "object", "found at", "place", "feeling");

  private StorySummaries() {
  }

  /** How a summary fared: facts stated, facts it should state, and how many of them agree. */
  public record Grade(int right, int stated, int expected) {
    public double precision() {
      return stated == 0 ? 0 : (double) right / stated;
    }

    public double recall() {
      return expected == 0 ? 0 : (double) right / expected;
    }

    /** Every fact stated and none invented. */
    public boolean allRight() {
      return right == expected && right == stated;
    }
  }

  /** The summary of a valid story; empty for a story the validator does not accept. */
  public static Optional<String> summary(String story) {
    return new TinyTalesValidator().facts(story).map(StorySummaries::write);
  }

  /** A story and its summary. */
  public record Summarised(String story, String summary) {
  }

  /** {@code count} stories drawn with {@code seed}, each with its summary. */
  public static List<Summarised> pairs(int count, long seed) {
    TinyTalesValidator v = new TinyTalesValidator();
    List<Summarised> out = new ArrayList<>(count);
    for (String story : TinyTalesCorpus.stories(count, seed)) {
      v.facts(story).ifPresent(f -> out.add(new Summarised(story, write(f))));
    }
    return out;
  }

  /** One sentence from a story's facts. */
  static String write(StoryFacts f) {
    List<String> names = f.of("name");
    String name = names.getFirst();
    boolean girl = Lexicon.genderOfName(name) == Gender.FEMALE;
    StringBuilder s = new StringBuilder(name).append(", a ").append(first(f, "adjective"))
        .append(' ').append(first(f, "kind"));
    if (!f.of("relation").isEmpty() && names.size() > 1) {
      s.append(" with a ").append(first(f, "relation")).append(" named ").append(names.get(1));
    }
    s.append(',');
    String patterns = String.join(" ", f.of("pattern"));
    boolean object = !f.of("object").isEmpty();
    String thing = first(f, "object word") + " " + first(f, "object");
    boolean found = !f.of("found at").isEmpty();
    boolean feelingSaid = false;
    if (object && found && (patterns.contains(" lost ") || patterns.contains("not find"))) {
      s.append(" lost ").append(girl ? "her " : "his ").append(thing).append(" and found it ")
          .append(first(f, "found at"));
    } else if (object && found) {
      s.append(" found a ").append(thing).append(' ').append(first(f, "found at"));
    } else if (object) {
      s.append(" had a new ").append(thing);
    } else if (!f.of("place").isEmpty()) {
      s.append(" went to the ").append(first(f, "place"));
    } else if (!f.of("feeling").isEmpty()) {
      s.append(" felt ").append(first(f, "feeling"));
      feelingSaid = true;
    } else {
      s.append(" ran home");
    }
    if (!feelingSaid && !f.of("feeling").isEmpty()) {
      s.append(" and felt ").append(first(f, "feeling"));
    }
    return s.append('.').toString();
  }

  private static String first(StoryFacts f, String attribute) {
    return f.of(attribute).isEmpty() ? "" : f.of(attribute).getFirst();
  }

  /**
   * The facts a summary states, read with the lexicon: the first name and the next one, the
   * first kind and the adjective before it, the first relation, the first object and the word
   * before it, a place after "the", a found-at phrase, a feeling after "felt".
   */
  public static Map<String, String> read(String summary) {
    String[] w = summary.replaceAll("([,.!?])", " $1 ").strip().split("\\s+");
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < w.length; i++) {
      String word = w[i];
      String lower = word.toLowerCase(Locale.ROOT);
      if (Lexicon.isName(word)) {
        out.putIfAbsent(out.containsKey("name") ? "other name" : "name", word);
      } else if (Lexicon.KINDS.contains(lower) && !out.containsKey("kind")) {
        out.put("kind", lower);
        if (i > 0 && Lexicon.ADJECTIVES.contains(w[i - 1].toLowerCase(Locale.ROOT))) {
          out.put("adjective", w[i - 1].toLowerCase(Locale.ROOT));
        }
      } else if (Lexicon.RELATIONS.contains(lower)) {
        out.putIfAbsent("relation", lower);
      } else if (Lexicon.OBJECTS.contains(lower) && !out.containsKey("object")) {
        out.put("object", lower);
        if (i > 0 && Lexicon.OBJECT_ADJECTIVES.contains(w[i - 1].toLowerCase(Locale.ROOT))) {
          out.put("object word", w[i - 1].toLowerCase(Locale.ROOT));
        }
      } else if (Lexicon.PLACES.contains(lower) && i > 0 && w[i - 1].equalsIgnoreCase("the")) {
        out.putIfAbsent("place", lower);
      } else if (i > 0 && w[i - 1].equalsIgnoreCase("felt")
          && (Lexicon.GOOD_FEELINGS.contains(lower) || Lexicon.BAD_FEELINGS.contains(lower))) {
        out.putIfAbsent("feeling", lower);
      }
    }
    String text = String.join(" ", w).toLowerCase(Locale.ROOT);
    for (String loc : Lexicon.LOCATIONS) {
      if (text.contains(loc)) {
        out.putIfAbsent("found at", loc);
      }
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String a : FACTS) {
      if (out.containsKey(a)) {
        ordered.put(a, out.get(a));
      }
    }
    return ordered;
  }

  /** {@code summary} graded against the facts {@code reference} states. */
  public static Grade grade(String reference, String summary) {
    Map<String, String> want = read(reference);
    Map<String, String> got = read(summary);
    int right = 0;
    for (var e : got.entrySet()) {
      right += e.getValue().equals(want.get(e.getKey())) ? 1 : 0;
    }
    return new Grade(right, got.size(), want.size());
  }
}
