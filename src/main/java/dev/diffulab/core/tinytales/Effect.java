package dev.diffulab.core.tinytales;

/** What a sentence means for the story: the cause-and-effect rule it obeys and what it changes. */
enum Effect {
  /** First sentence: introduces the main character. */
  INTRO,
  /** Second sentence only: introduces a second character. */
  SECOND,
  /** Scene-setting with no condition (going somewhere, the weather). */
  SCENE,
  /** The subject loses one of their things: a problem opens. */
  LOSE,
  /** The subject is unhappy about the very thing they lost. */
  MISS,
  /** The subject cries: they must have lost something that is not found yet. */
  CRY,
  /** The subject helps the other character, who must have lost that thing. */
  HELP,
  /** The thing must be lost by the subject, by someone the subject helped, or by either of "they". */
  FIND_LOST,
  /** The subject finds a new thing, which becomes theirs. */
  FIND_NEW,
  /** The subject is happy about a new thing of theirs. */
  HAPPY_NEW,
  /** The subject gives the other character a new thing. */
  GIVE,
  /** The subject is happy: nothing of theirs may still be lost. */
  HAPPY,
  /** The subject looks after a thing that must be theirs. */
  CARE,
  /** The subject thanks the other character, who must have helped them. */
  THANKS,
  /** Both characters together: the subject must be "they". */
  TOGETHER,
  /** Rain sends the subject home. */
  RAIN
}
