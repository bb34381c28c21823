package dev.diffulab.core.tinytales;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every word a TinyTales story may use, by the role it plays in the grammar. */
public final class Lexicon {
  private Lexicon() {
  }

  static final List<String> GIRL_NAMES = List.of(
      "Lily", "Mia", "Emma", "Anna", "Sara", "Lucy", "Ella", "Zoe", "Amy", "Rose", "Ruby",
      "Daisy", "Maya", "Nora", "Ivy", "Kate", "Jenny", "Molly", "Sophie", "Alice", "Clara",
      "Grace", "Hannah", "Julia", "Lena", "Olivia", "Polly", "Tina", "Wendy", "Sue");
  static final List<String> BOY_NAMES = List.of(
      "Tom", "Max", "Ben", "Sam", "Jack", "Leo", "Tim", "Finn", "Jake", "Oscar", "Noah", "Luke",
      "Adam", "Henry", "Ollie", "Peter", "Ryan", "Toby", "Eli", "Hugo", "Milo", "Owen", "Paul",
      "Billy", "Danny", "Felix", "George", "Harry", "Kevin", "Bob");
  /** Kinds of character; girl/princess need a girl's name, boy/prince a boy's, animals either. */
  static final Map<String, Gender> GENDERED_KINDS = Map.of(
      "girl", Gender.FEMALE,
      "princess", Gender.FEMALE,
      "boy", Gender.MALE,
      "prince", Gender.MALE);

  static final List<String> KINDS = List.of(
      "girl", "princess", "boy", "prince", "dog", "cat", "bunny", "bear", "fox", "mouse",
      "bird", "frog", "duck", "puppy", "kitten", "owl");
  static final List<String> ADJECTIVES = List.of(
      "little", "small", "young", "happy", "brave", "shy", "kind", "curious", "clever",
      "funny", "tiny", "friendly", "gentle", "playful");
  /** Relations; brother needs a boy's name, sister a girl's. */
  static final Map<String, Gender> GENDERED_RELATIONS = Map.of("brother", Gender.MALE, "sister",
      Gender.FEMALE);

  static final List<String> RELATIONS = List.of("friend", "brother", "sister", "cousin");
  static final List<String> PLACES = List.of(
      "park", "forest", "garden", "beach", "village", "farm", "school", "lake", "hill",
      "river", "meadow", "castle", "library", "market", "playground", "cave", "field", "zoo",
      "pond", "town", "shop", "bakery");
  static final List<String> OBJECTS = List.of(
      "ball", "kite", "book", "hat", "toy", "box", "cake", "flower", "shell", "stone", "key",
      "boat", "drum", "map", "cup", "balloon", "doll", "apple", "ribbon", "blanket", "lamp",
      "bell", "sock", "crown", "whistle", "basket", "bucket", "scarf", "robot", "puzzle");
  static final List<String> OBJECT_ADJECTIVES = List.of(
      "red", "blue", "green", "yellow", "big", "shiny", "old", "new", "soft", "pink",
      "purple", "orange", "round", "favorite", "tiny", "little");
  static final List<String> GOOD_FEELINGS = List.of("happy", "glad", "proud", "excited", "calm",
      "cheerful", "joyful", "thankful");
  static final List<String> BAD_FEELINGS = List.of("sad", "scared", "upset", "worried", "angry",
      "lonely", "grumpy", "afraid");
  /** Phrases that open a sentence before its subject. */
  static final List<String> OPENERS = List.of(
      "One day ,", "One morning ,", "After lunch ,", "The next day ,", "Later ,",
      "That afternoon ,", "On a sunny day ,");
  /** Where a thing was found. */
  static final List<String> LOCATIONS = List.of(
      "under a tree", "behind a rock", "in the grass", "under the bed", "near the door",
      "in a big box", "by the water", "under a bush", "on a high shelf", "next to the fence");

  static Gender genderOfName(String name) {
    if (GIRL_NAMES.contains(name)) {
      return Gender.FEMALE;
    }
    if (BOY_NAMES.contains(name)) {
      return Gender.MALE;
    }
    return null;
  }

  static boolean isName(String word) {
    return genderOfName(word) != null;
  }

  /**
   * Every word and punctuation mark of the grammar, in a fixed order: the vocabulary of the
   * shipped tokenizer.
   */
  public static List<String> words() {
    Set<String> words = new LinkedHashSet<>();
    words.addAll(List.of(".", ","));
    for (String pattern : TinyTalesGrammar.patternTexts()) {
      for (String w : pattern.split(" ")) {
        if (!w.startsWith("{")) {
          words.add(w);
        }
      }
    }
    for (Gender g : Gender.values()) {
      words.addAll(List.of(g.subject, g.possessive, g.object, capitalise(g.subject)));
    }
    words.addAll(List.of("they", "They", "their"));
    for (List<String> list : List.of(
        GIRL_NAMES, BOY_NAMES, KINDS, ADJECTIVES, RELATIONS, PLACES, OBJECTS,
        OBJECT_ADJECTIVES, GOOD_FEELINGS, BAD_FEELINGS, OPENERS, LOCATIONS)) {
      for (String phrase : list) {
        words.addAll(List.of(phrase.split(" ")));
      }
    }
    return List.copyOf(words);
  }

  static String capitalise(String w) {
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }
}
