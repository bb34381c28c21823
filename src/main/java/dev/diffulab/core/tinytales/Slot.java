package dev.diffulab.core.tinytales;

/** A typed hole in a sentence pattern. */
enum Slot {
  /** A name introduced by this sentence. */
  NEW,
  /** The sentence's subject: a character's name, or a pronoun for the previous subject. */
  SUBJ,
  /** A subject pronoun inside the sentence that refers back to its subject. */
  PRON,
  /** A possessive (his, her, their) that agrees with the subject. */
  POSS,
  /** The character who is not the subject: a name or an object pronoun. */
  OTHER, ADJ, KIND, REL, PLACE, OBJ, OADJ, GOOD, BAD, LOC, OPEN;

  static Slot of(String token) {
    return valueOf(token.substring(1, token.length() - 1));
  }
}
