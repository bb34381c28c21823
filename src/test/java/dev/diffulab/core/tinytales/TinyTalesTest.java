package dev.diffulab.core.tinytales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TinyTalesTest {
  private final TinyTalesValidator validator = new TinyTalesValidator();
  private final List<String> stories = new TinyTalesGenerator(7).stories(3000);

  @Test
  void sameSeedGivesSameStoriesAndAnotherSeedOthers() {
    assertEquals(stories.subList(0, 50), new TinyTalesGenerator(7).stories(50));
    assertNotEquals(stories.subList(0, 50), new TinyTalesGenerator(8).stories(50));
  }

  @Test
  void everyGeneratedStoryIsAcceptedAndHasTheAdvertisedShape() {
    for (String s : stories) {
      TinyTalesValidator.Verdict v = validator.validate(s);
      assertTrue(v.valid(), () -> s + " -> " + v.firstError());
      int n = Words.split(s).size();
      assertTrue(n >= 40 && n <= 120, () -> n + " tokens: " + s);
    }
    assertTrue(new HashSet<>(stories).size() > 2990, "stories repeat");
  }

  @Test
  void wordShuffledStoriesAreRejected() {
    Random r = new Random(1);
    for (String s : stories.subList(0, 500)) {
      List<String> words = new ArrayList<>(Words.split(s));
      Collections.shuffle(words, r);
      String shuffled = Words.join(words);
      assertFalse(validator.validate(shuffled).valid(), shuffled);
    }
  }

  @Test
  void pronounSwappedStoriesAreRejectedNamingThePronoun() {
    int checked = 0;
    for (String s : stories) {
      List<String> words = new ArrayList<>(Words.split(s));
      boolean swapped = false;
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i);
        String x = switch (w) {
          case "he" -> "she";
          case "she" -> "he";
          case "He" -> "She";
          case "She" -> "He";
          default -> null;
        };
        if (x != null) {
          words.set(i, x);
          swapped = true;
        }
      }
      if (!swapped) {
        continue;
      }
      checked++;
      TinyTalesValidator.Verdict v = validator.validate(Words.join(words));
      assertFalse(v.valid(), Words.join(words));
      assertTrue(v.firstError().contains("pronoun"), v.firstError());
    }
    assertTrue(checked > 1000, "too few stories with pronouns: " + checked);
  }

  @Test
  void nameChangedStoriesAreRejectedNamingTheStranger() {
    Set<String> names = new HashSet<>(Lexicon.GIRL_NAMES);
    names.addAll(Lexicon.BOY_NAMES);
    int checked = 0;
    for (String s : stories) {
      List<String> words = new ArrayList<>(Words.split(s));
      Set<String> cast = new HashSet<>();
      int firstSentenceEnd = words.indexOf(".");
      for (int i = 0; i < words.size(); i++) {
        if (names.contains(words.get(i))) {
          cast.add(words.get(i));
        }
      }
      int later = -1;
      for (int i = firstSentenceEnd + 1; i < words.size(); i++) {
        // a name used after the introductions (sentence 1, and sentence 2's new name)
        if (names.contains(words.get(i)) && words.subList(0, i).contains(words.get(i))) {
          later = i;
          break;
        }
      }
      if (later < 0) {
        continue;
      }
      String stranger = Lexicon.GIRL_NAMES.stream().filter(n -> !cast.contains(n)).findFirst()
          .orElseThrow();
      words.set(later, stranger);
      checked++;
      TinyTalesValidator.Verdict v = validator.validate(Words.join(words));
      assertFalse(v.valid(), Words.join(words));
      assertTrue(v.firstError().contains(stranger), v.firstError());
    }
    assertTrue(checked > 500, "too few stories with a repeated name: " + checked);
  }

  @Test
  void causeMustComeBeforeEffect() {
    String ok = "There was once a shy girl named Lily. She lost her red ball at the park. "
        + "Lily felt sad because she could not find her ball. She found the ball under a tree.";
    assertTrue(validator.validate(ok).valid(), validator.validate(ok).firstError());
    String foundFirst = "There was once a shy girl named Lily. She found the ball under a tree. "
        + "She lost her red ball at the park. Lily felt sad because she could not find her ball.";
    TinyTalesValidator.Verdict v = validator.validate(foundFirst);
    assertFalse(v.valid());
    assertTrue(v.firstError().contains("was not lost"), v.firstError());
  }

  @Test
  void kindAndRelationMustFitTheName() {
    assertTrue(validator.validate("There was once a shy boy named Lily. Lily went to the park. "
        + "She felt happy and smiled.").firstError().contains("boy cannot be named Lily"));
    assertTrue(validator.validate("There was once a shy cat named Lily. She had a brother named "
        + "Mia. They went to the park. They played together until the sun went down.")
        .firstError().contains("brother cannot be named Mia"));
  }

  @Test
  void unknownWordsAndUnfinishedSentencesAreNamed() {
    assertTrue(validator.validate("There was once a shy girl named Lily. She ate a zebra.")
        .firstError().contains("unknown word 'ate'"));
    assertTrue(validator.validate("There was once a shy girl named Lily. She went to the park")
        .firstError().contains("does not end with a period"));
    assertFalse(validator.validate("").valid());
  }

  @Test
  void theGrammarAllowsFarMoreThanABillionStories() {
    // One plot shape alone: intro, a loss, the find, a happy ending (girls' names, no opener).
    double intro = 3.0 * Lexicon.ADJECTIVES.size() * (Lexicon.KINDS.size() - 2)
        * Lexicon.GIRL_NAMES.size();
    double lose = Lexicon.OBJECT_ADJECTIVES.size() * Lexicon.OBJECTS.size()
        * (Lexicon.PLACES.size() + 1.0);
    double find = Lexicon.LOCATIONS.size();
    double happy = 2.0 * Lexicon.GOOD_FEELINGS.size();
    assertTrue(intro * lose * find * happy > 1e9);
  }
}
