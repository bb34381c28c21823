package dev.diffulab.core.tinytales;

import dev.diffulab.core.tinytales.SentencePattern.Binding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a story has established so far: its characters and their genders, who the last sentence
 * was about (the only character a subject pronoun may point to), what is lost and by whom, what
 * each character owns, and who helped whom. {@link #apply} checks one sentence against it and
 * moves it on, or says why the sentence does not fit.
 */
final class StoryState {
  /** A rule of the story that a sentence breaks. */
  static final class StoryError extends Exception {
    private static final long serialVersionUID = 1L;

    StoryError(String message) {
      super(message, null, false, false);
    }
  }

  static final String THEY = "they";

  final Map<String, Gender> cast = new LinkedHashMap<>();
  /** The subject of the previous sentence: a name, {@link #THEY}, or null before the first. */
  String focus;

  final Map<String, String> lostBy = new HashMap<>();
  final Map<String, Set<String>> owns = new HashMap<>();
  final Set<String> helped = new HashSet<>();
  final List<String> gifts = new ArrayList<>();
  int sentences;

  StoryState copy() {
    StoryState s = new StoryState();
    s.cast.putAll(cast);
    s.focus = focus;
    s.lostBy.putAll(lostBy);
    owns.forEach((k, v) -> s.owns.put(k, new HashSet<>(v)));
    s.helped.addAll(helped);
    s.gifts.addAll(gifts);
    s.sentences = sentences;
    return s;
  }

  String other(String name) {
    for (String c : cast.keySet()) {
      if (!c.equals(name)) {
        return c;
      }
    }
    return null;
  }

  boolean hasOpenLoss(String name) {
    return lostBy.containsValue(name);
  }

  void apply(SentencePattern pattern, List<Binding> bindings) throws StoryError {
    Effect effect = pattern.effect();
    if (sentences == 0 && effect != Effect.INTRO) {
      throw new StoryError("the first sentence must introduce the main character");
    }
    if (sentences > 0 && effect == Effect.INTRO) {
      throw new StoryError("only the first sentence may introduce the main character");
    }
    if (effect == Effect.SECOND && sentences != 1) {
      throw new StoryError("a second character may only be introduced in the second sentence");
    }
    String subject = null;
    String other = null;
    String newName = null;
    String obj = null;
    String kind = null;
    String relation = null;
    for (Binding b : bindings) {
      switch (b.slot()) {
        case NEW -> newName = introduce(b.value());
        case SUBJ -> subject = resolveSubject(b);
        case PRON -> checkPronoun(b.value(), subject);
        case POSS -> checkPossessive(b.value(), subject);
        case OTHER -> other = resolveOther(b.value(), subject);
        case OBJ -> obj = b.value();
        case KIND -> kind = b.value();
        case REL -> relation = b.value();
        default -> {
        }
      }
    }
    if (effect == Effect.INTRO) {
      subject = newName;
      Gender need = Lexicon.GENDERED_KINDS.get(kind);
      if (need != null && need != cast.get(newName)) {
        throw new StoryError(
            "a " + kind + " cannot be named " + newName + " (a " + cast.get(newName).noun + ")");
      }
    }
    if (effect == Effect.SECOND) {
      Gender need = Lexicon.GENDERED_RELATIONS.get(relation);
      if (need != null && need != cast.get(newName)) {
        throw new StoryError(
            "a " + relation + " cannot be named " + newName + " (a " + cast.get(newName).noun
                + ")");
      }
    }
    checkEffect(effect, subject, other, obj);
    focus = subject;
    sentences++;
  }

  private String introduce(String name) throws StoryError {
    if (cast.containsKey(name)) {
      throw new StoryError(name + " is introduced twice");
    }
    cast.put(name, Lexicon.genderOfName(name));
    return name;
  }

  private String resolveSubject(Binding b) throws StoryError {
    String w = b.value();
    if (Lexicon.isName(w)) {
      requireCharacter(w);
      return w;
    }
    boolean first = b.position() == 0;
    if (first != Character.isUpperCase(w.charAt(0))) {
      throw new StoryError("'" + w + "' is capitalised wrongly");
    }
    String pronoun = w.toLowerCase(java.util.Locale.ROOT);
    if (pronoun.equals(THEY)) {
      if (cast.size() < 2) {
        throw new StoryError("'" + w + "' needs two characters, the story has one");
      }
      return THEY;
    }
    if (focus == null || focus.equals(THEY)) {
      throw new StoryError("pronoun '" + w + "' has no single character to refer to");
    }
    Gender g = cast.get(focus);
    if (!g.subject.equals(pronoun)) {
      throw new StoryError(
          "pronoun '" + w + "' refers to " + focus + ", who is " + g.subject + ", not " + pronoun);
    }
    return focus;
  }

  private void requireCharacter(String name) throws StoryError {
    if (!cast.containsKey(name)) {
      throw new StoryError(
          "name " + name + " is not one of the story's characters " + cast.keySet());
    }
  }

  private void checkPronoun(String w, String subject) throws StoryError {
    String expected = subject.equals(THEY) ? THEY : cast.get(subject).subject;
    if (!w.equals(expected)) {
      throw new StoryError("pronoun '" + w + "' should be '" + expected + "' for " + subject);
    }
  }

  private void checkPossessive(String w, String subject) throws StoryError {
    String expected = subject.equals(THEY) ? "their" : cast.get(subject).possessive;
    if (!w.equals(expected)) {
      throw new StoryError("possessive '" + w + "' should be '" + expected + "' for " + subject);
    }
  }

  private String resolveOther(String w, String subject) throws StoryError {
    if (subject.equals(THEY) || cast.size() < 2) {
      throw new StoryError("'" + w + "' needs a second character besides the subject");
    }
    String other = other(subject);
    if (Lexicon.isName(w)) {
      requireCharacter(w);
      if (w.equals(subject)) {
        throw new StoryError(w + " cannot be both the subject and the other character");
      }
      return w;
    }
    String expected = cast.get(other).object;
    if (!w.equals(expected)) {
      throw new StoryError("'" + w + "' refers to " + other + " and should be '" + expected + "'");
    }
    return other;
  }

  private void checkEffect(Effect effect, String subject, String other, String obj)
      throws StoryError {
    boolean they = THEY.equals(subject);
    switch (effect) {
      case LOSE -> {
        requireSingle(they, "lose one thing");
        if (subject.equals(lostBy.get(obj))) {
          throw new StoryError(subject + " already lost the " + obj);
        }
        lostBy.put(obj, subject);
        own(subject, obj);
      }
      case MISS -> {
        requireSingle(they, "miss one thing");
        if (!subject.equals(lostBy.get(obj))) {
          throw new StoryError(subject + " cannot miss the " + obj + ": it was not lost");
        }
      }
      case CRY -> {
        requireSingle(they, "cry about one loss");
        if (!hasOpenLoss(subject)) {
          throw new StoryError(subject + " cries, but nothing of theirs is lost");
        }
      }
      case HELP -> {
        if (!other.equals(lostBy.get(obj))) {
          throw new StoryError(other + " did not lose the " + obj);
        }
        helped.add(subject + ">" + other);
      }
      case FIND_LOST -> {
        String owner = lostBy.get(obj);
        if (owner == null) {
          throw new StoryError("the " + obj + " is found, but it was not lost");
        }
        if (!(they || owner.equals(subject) || helped.contains(subject + ">" + owner))) {
          throw new StoryError(
              subject + " finds the " + obj + " of " + owner + " without helping to look for it");
        }
        lostBy.remove(obj);
      }
      case FIND_NEW -> {
        requireSingle(they, "keep a found thing");
        own(subject, obj);
      }
      case HAPPY_NEW -> {
        requireSingle(they, "own one new thing");
        if (!owns.getOrDefault(subject, Set.of()).contains(obj) || lostBy.containsKey(obj)) {
          throw new StoryError(subject + " is happy with a new " + obj + " they do not have");
        }
      }
      case GIVE -> {
        own(other, obj);
        gifts.add(subject + ">" + other);
      }
      case HAPPY -> {
        if (they ? !lostBy.isEmpty() : hasOpenLoss(subject)) {
          throw new StoryError(subject + " is happy while something is still lost");
        }
      }
      case CARE -> {
        requireSingle(they, "look after one thing");
        if (!owns.getOrDefault(subject, Set.of()).contains(obj) || lostBy.containsKey(obj)) {
          throw new StoryError(subject + " looks after a " + obj + " they do not have");
        }
      }
      case THANKS -> {
        if (!helped.contains(other + ">" + subject) && !givenTo(subject, other)) {
          throw new StoryError(subject + " thanks " + other + ", who did nothing for them");
        }
      }
      case TOGETHER -> {
        if (!they) {
          throw new StoryError("playing together needs 'they' as the subject");
        }
      }
      default -> {
      }
    }
  }

  private boolean givenTo(String receiver, String giver) {
    return gifts.contains(giver + ">" + receiver);
  }

  private void own(String name, String obj) {
    owns.computeIfAbsent(name, k -> new HashSet<>()).add(obj);
  }

  private static void requireSingle(boolean they, String what) throws StoryError {
    if (they) {
      throw new StoryError("'they' cannot " + what);
    }
  }
}
