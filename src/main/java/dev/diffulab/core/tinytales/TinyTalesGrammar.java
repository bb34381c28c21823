package dev.diffulab.core.tinytales;

import java.util.List;

/** The sentence patterns of TinyTales, grouped by the {@link Effect} each has on the story. */
final class TinyTalesGrammar {
  private TinyTalesGrammar() {
  }

  static final List<SentencePattern> PATTERNS = List.of(
      SentencePattern.of(
          Effect.INTRO, "Once upon a time , there was a {ADJ} {KIND} named {NEW} ."),
      SentencePattern.of(Effect.INTRO, "There was once a {ADJ} {KIND} named {NEW} ."),
      SentencePattern.of(Effect.INTRO, "{NEW} was a {ADJ} {KIND} who lived near the {PLACE} ."),
      SentencePattern.of(Effect.SECOND, "{SUBJ} had a {REL} named {NEW} ."),
      SentencePattern.of(Effect.SECOND, "{SUBJ} lived with {POSS} {REL} {NEW} ."),
      SentencePattern.of(Effect.SCENE, "{SUBJ} went to the {PLACE} ."),
      SentencePattern.of(Effect.SCENE, "{SUBJ} went to the {PLACE} to play ."),
      SentencePattern.of(Effect.SCENE, "{SUBJ} walked to the {PLACE} with {OTHER} ."),
      SentencePattern.of(Effect.SCENE, "The sun was warm and the sky was blue ."),
      SentencePattern.of(Effect.LOSE, "{SUBJ} lost {POSS} {OADJ} {OBJ} at the {PLACE} ."),
      SentencePattern.of(Effect.LOSE, "{SUBJ} could not find {POSS} {OADJ} {OBJ} ."),
      SentencePattern.of(
          Effect.MISS, "{SUBJ} felt {BAD} because {PRON} could not find {POSS} {OBJ} ."),
      SentencePattern.of(Effect.MISS, "{SUBJ} was very {BAD} without {POSS} {OBJ} ."),
      SentencePattern.of(Effect.CRY, "{SUBJ} was {BAD} and started to cry ."),
      SentencePattern.of(Effect.HELP, "{SUBJ} helped {OTHER} look for the {OBJ} ."),
      SentencePattern.of(Effect.HELP, "{SUBJ} wanted to help {OTHER} find the {OBJ} ."),
      SentencePattern.of(Effect.FIND_LOST, "{SUBJ} found the {OBJ} {LOC} ."),
      SentencePattern.of(Effect.FIND_NEW, "{SUBJ} found a {OADJ} {OBJ} {LOC} ."),
      SentencePattern.of(
          Effect.HAPPY_NEW, "{SUBJ} was very {GOOD} because {PRON} had a new {OBJ} ."),
      SentencePattern.of(Effect.GIVE, "{SUBJ} gave {OTHER} a {OADJ} {OBJ} ."),
      SentencePattern.of(Effect.HAPPY, "{SUBJ} was very {GOOD} ."),
      SentencePattern.of(Effect.HAPPY, "{SUBJ} felt {GOOD} and smiled ."),
      SentencePattern.of(
          Effect.CARE, "From that day on , {SUBJ} always took care of {POSS} {OBJ} ."),
      SentencePattern.of(Effect.THANKS, "{SUBJ} hugged {OTHER} and said thank you ."),
      SentencePattern.of(Effect.TOGETHER, "{SUBJ} played together until the sun went down ."),
      SentencePattern.of(Effect.RAIN, "{OPEN} it started to rain , so {SUBJ} ran home ."));

  static List<String> patternTexts() {
    return PATTERNS.stream().map(SentencePattern::text).toList();
  }

  static List<SentencePattern> withEffect(Effect effect) {
    return PATTERNS.stream().filter(p -> p.effect() == effect).toList();
  }
}
