package dev.diffulab.core.tinytales;

/** Grammatical gender of a TinyTales character, fixed by its name. */
public enum Gender {
  FEMALE("she", "her", "her", "girl"), MALE("he", "his", "him", "boy");

  final String subject;
  final String possessive;
  final String object;
  final String noun;

  Gender(String subject, String possessive, String object, String noun) {
    this.subject = subject;
    this.possessive = possessive;
    this.object = object;
    this.noun = noun;
  }
}
