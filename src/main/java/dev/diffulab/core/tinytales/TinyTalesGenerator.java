package dev.diffulab.core.tinytales;

import dev.diffulab.core.tinytales.StoryState.StoryError;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes TinyTales stories from the grammar: a main character (and often a second one) with a
 * name that fixes their pronouns, a place, a thing, feelings, and one small plot with cause and
 * effect — something is lost, missed, searched for with help and found; or a thing is found or
 * given and cherished; or rain sends someone home. 3 to 6 sentences and 40 to 120 words and marks.
 * Deterministic: story {@code i} of seed {@code s} is always the same text.
 */
public final class TinyTalesGenerator {
  public static final int MIN_TOKENS = 40;
  public static final int MAX_TOKENS = 120;

  private final long seed;

  public TinyTalesGenerator(long seed) {
    this.seed = seed;
  }

  /** Story number {@code index} of this generator's seed. */
  public String story(long index) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L);
    while (true) {
      List<String> story = tryStory(r);
      int n = story.stream().mapToInt(s -> Words.split(s).size()).sum();
      if (story.size() >= TinyTalesValidator.MIN_SENTENCES
          && story.size() <= TinyTalesValidator.MAX_SENTENCES
          && n >= MIN_TOKENS
          && n <= MAX_TOKENS) {
        return String.join(" ", story);
      }
    }
  }

  public List<String> stories(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(story(i));
    }
    return out;
  }

  /** One attempt; the caller keeps only attempts of the right length. */
  private static List<String> tryStory(Random r) {
    Teller t = new Teller(r);
    Gender g = r.nextBoolean() ? Gender.FEMALE : Gender.MALE;
    String main = name(r, g, null);
    t.say(
        Effect.INTRO, null, null, null, Map.of(Slot.NEW, main, Slot.KIND, kindFor(r, g)));
    String second = null;
    if (r.nextDouble() < 0.55) {
      Gender g2 = r.nextBoolean() ? Gender.FEMALE : Gender.MALE;
      second = name(r, g2, main);
      t.say(
          Effect.SECOND, main, null, null, Map.of(Slot.NEW, second, Slot.REL, relationFor(r, g2)));
    }
    boolean two = second != null;
    String x = two && r.nextDouble() < 0.3 ? second : main;
    String y = two ? (x.equals(main) ? second : main) : null;
    double plot = r.nextDouble();
    if (plot < 0.55) {
      lossPlot(t, r, x, y);
    } else if (plot < 0.8) {
      giftPlot(t, r, x, y);
    } else {
      rainPlot(t, r, x, y);
    }
    return t.sentences;
  }

  private static void lossPlot(Teller t, Random r, String x, String y) {
    boolean two = y != null;
    if (r.nextDouble() < 0.5) {
      scene(t, r, x, y);
    }
    String obj = pick(r, Lexicon.OBJECTS);
    t.say(Effect.LOSE, x, null, obj, Map.of());
    double feel = r.nextDouble();
    if (feel < 0.45) {
      t.say(Effect.MISS, x, null, obj, Map.of());
    } else if (feel < 0.7) {
      t.say(Effect.CRY, x, null, null, Map.of());
    }
    boolean helped = two && r.nextDouble() < 0.7;
    if (helped) {
      t.say(Effect.HELP, y, x, obj, Map.of());
    }
    String finder = x;
    if (helped) {
      double f = r.nextDouble();
      finder = f < 0.4 ? y : f < 0.7 ? StoryState.THEY : x;
    }
    t.say(Effect.FIND_LOST, finder, null, obj, Map.of());
    double end = r.nextDouble();
    if (helped && end < 0.35) {
      t.say(Effect.THANKS, x, y, null, Map.of());
    } else if (two && end < 0.5) {
      t.say(Effect.TOGETHER, StoryState.THEY, null, null, Map.of());
    } else if (end < 0.75) {
      t.say(Effect.CARE, x, null, obj, Map.of());
    } else if (end < 0.95) {
      t.say(Effect.HAPPY, x, null, null, Map.of());
    }
  }

  private static void giftPlot(Teller t, Random r, String x, String y) {
    boolean two = y != null;
    if (r.nextDouble() < 0.6) {
      scene(t, r, x, y);
    }
    String obj = pick(r, Lexicon.OBJECTS);
    boolean gift = two && r.nextDouble() < 0.6;
    if (gift) {
      t.say(Effect.GIVE, y, x, obj, Map.of());
    } else {
      t.say(Effect.FIND_NEW, x, null, obj, Map.of());
    }
    if (r.nextDouble() < 0.6) {
      t.say(Effect.HAPPY_NEW, x, null, obj, Map.of());
    }
    double end = r.nextDouble();
    if (gift && end < 0.4) {
      t.say(Effect.THANKS, x, y, null, Map.of());
    } else if (two && end < 0.55) {
      t.say(Effect.TOGETHER, StoryState.THEY, null, null, Map.of());
    } else if (end < 0.8) {
      t.say(Effect.CARE, x, null, obj, Map.of());
    } else {
      t.say(Effect.HAPPY, x, null, null, Map.of());
    }
  }

  private static void rainPlot(Teller t, Random r, String x, String y) {
    boolean two = y != null;
    String who = two && r.nextBoolean() ? StoryState.THEY : x;
    scene(t, r, who, y);
    t.say(Effect.RAIN, who, null, null, Map.of());
    if (two && r.nextDouble() < 0.5) {
      t.say(Effect.TOGETHER, StoryState.THEY, null, null, Map.of());
    } else if (r.nextDouble() < 0.7) {
      t.say(Effect.HAPPY, who, null, null, Map.of());
    }
  }

  private static void scene(Teller t, Random r, String who, String y) {
    boolean single = !StoryState.THEY.equals(who);
    List<SentencePattern> options = new ArrayList<>();
    for (SentencePattern p : TinyTalesGrammar.withEffect(Effect.SCENE)) {
      boolean needsOther = p.elements().contains("{OTHER}");
      if (!needsOther || (single && y != null)) {
        options.add(p);
      }
    }
    t.sayPattern(pick(r, options), who, single ? y : null, null, Map.of());
  }

  private static String name(Random r, Gender g, String not) {
    List<String> names = g == Gender.FEMALE ? Lexicon.GIRL_NAMES : Lexicon.BOY_NAMES;
    String n;
    do {
      n = pick(r, names);
    } while (n.equals(not));
    return n;
  }

  private static String kindFor(Random r, Gender g) {
    while (true) {
      String k = pick(r, Lexicon.KINDS);
      Gender need = Lexicon.GENDERED_KINDS.get(k);
      if (need == null || need == g) {
        return k;
      }
    }
  }

  private static String relationFor(Random r, Gender g) {
    while (true) {
      String k = pick(r, Lexicon.RELATIONS);
      Gender need = Lexicon.GENDERED_RELATIONS.get(k);
      if (need == null || need == g) {
        return k;
      }
    }
  }

  static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  /** Renders sentences and keeps the story state, exactly as the validator will read them. */
  private static final class Teller {
    final Random r;
    final List<String> sentences = new ArrayList<>();
    StoryState state = new StoryState();

    Teller(Random r) {
      this.r = r;
    }

    void say(Effect effect, String subject, String other, String obj, Map<Slot, String> fixed) {
      List<SentencePattern> options = new ArrayList<>();
      for (SentencePattern p : TinyTalesGrammar.withEffect(effect)) {
        if (other != null || !p.elements().contains("{OTHER}")) {
          options.add(p);
        }
      }
      sayPattern(pick(r, options), subject, other, obj, fixed);
    }

    void sayPattern(
        SentencePattern p, String subject, String other, String obj, Map<Slot, String> fixed) {
      Map<Slot, String> values = new EnumMap<>(Slot.class);
      values.putAll(fixed);
      List<String> tokens = new ArrayList<>();
      if (p.openable() && r.nextDouble() < 0.25) {
        tokens.addAll(List.of(pick(r, Lexicon.OPENERS).split(" ")));
      }
      for (String e : p.elements()) {
        if (!e.startsWith("{")) {
          tokens.add(e);
          continue;
        }
        Slot slot = Slot.of(e);
        String word = switch (slot) {
          case SUBJ -> subjectWord(subject, tokens.isEmpty());
          case PRON -> pronoun(subject);
          case POSS ->
            StoryState.THEY.equals(subject)
                ? "their"
                : state.cast.get(subject).possessive;
          case OTHER ->
            r.nextBoolean() ? state.cast.get(other).object : other;
          case OBJ -> obj;
          default -> values.containsKey(slot) ? values.get(slot) : lexical(slot);
        };
        tokens.addAll(List.of(word.split(" ")));
      }
      try {
        state = TinyTalesValidator.advance(state, tokens);
      } catch (StoryError e) {
        throw new IllegalStateException(
            "TinyTales generator broke its own grammar at \"" + Words.join(tokens) + "\": "
                + e.getMessage());
      }
      sentences.add(Words.join(tokens));
    }

    private String subjectWord(String subject, boolean first) {
      String w;
      if (StoryState.THEY.equals(subject)) {
        w = "they";
      } else if (subject.equals(state.focus) && r.nextDouble() < 0.6) {
        w = state.cast.get(subject).subject;
      } else {
        return subject;
      }
      return first ? Lexicon.capitalise(w) : w;
    }

    private String pronoun(String subject) {
      return StoryState.THEY.equals(subject) ? "they" : state.cast.get(subject).subject;
    }

    private String lexical(Slot slot) {
      return switch (slot) {
        case ADJ -> pick(r, Lexicon.ADJECTIVES);
        case PLACE -> pick(r, Lexicon.PLACES);
        case OADJ -> pick(r, Lexicon.OBJECT_ADJECTIVES);
        case GOOD -> pick(r, Lexicon.GOOD_FEELINGS);
        case BAD -> pick(r, Lexicon.BAD_FEELINGS);
        case LOC -> pick(r, Lexicon.LOCATIONS);
        case OPEN -> pick(r, Lexicon.OPENERS);
        default -> throw new IllegalStateException("slot " + slot + " needs a value");
      };
    }
  }
}
