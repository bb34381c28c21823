package dev.diffulab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import dev.diffulab.core.metrics.Frontier;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepGridTest {
  private static final SamplerConfig BASE = RunConfig.parse("{\"name\": \"x\"}", "t").sampler();

  @Test
  void everyCombinationOverTheBase() {
    var points = SweepGrid.parse("temperature=0.7,1; top-p=0.9,1 ;remasking=random", "--sweep")
        .points(BASE, 64, "--sweep");
    assertEquals(4, points.size());
    assertEquals("temperature=0.7 top_p=0.9 remasking=random", points.getFirst().label());
    assertEquals(0.7, points.getFirst().sampler().temperature(), 1e-12);
    assertEquals(1.0, points.getLast().sampler().topP(), 1e-12);
    assertEquals("random", points.getLast().sampler().remasking().id());
    assertEquals(BASE.steps(), points.getLast().sampler().steps(), "the rest is the base's");
  }

  @Test
  void wrongGridsAreNamed() {
    assertThrows(InputException.class, () -> SweepGrid.parse("temperature", "--sweep"));
    assertThrows(InputException.class, () -> SweepGrid.parse(" ; ", "--sweep"));
    assertThrows(InputException.class, () -> SweepGrid.parse("steps=1;steps=2", "--sweep"));
    var e = assertThrows(InputException.class, () -> SweepGrid.parse("steps=0", "--sweep")
        .points(BASE, 64, "--sweep"));
    assertTrue(e.getMessage().contains("--sweep.steps"), e.getMessage());
    e = assertThrows(InputException.class, () -> SweepGrid.parse("remasking=sideways",
        "--sweep").points(BASE, 64, "--sweep"));
    assertTrue(e.getMessage().contains("low-confidence"), e.getMessage());
    e = assertThrows(InputException.class, () -> SweepGrid.parse(
        "steps=1,2,3,4,5,6,7,8,9;temperature=1,2,3,4,5,6,7,8", "--sweep")
        .points(BASE, 64, "--sweep"));
    assertTrue(e.getMessage().contains("72 points"), e.getMessage());
  }

  @Test
  void theFrontHoldsWhatNothingBeats() {
    List<Frontier.Point> marked = Frontier.mark(List.of(
        new Frontier.Point("a", 0.9, 0.5, false),
        new Frontier.Point("b", 0.7, 0.8, false),
        new Frontier.Point("c", 0.6, 0.7, false), // beaten by b on both
        new Frontier.Point("d", 0.9, 0.4, false), // beaten by a on diversity
        new Frontier.Point("e", Double.NaN, 0.9, false)));
    assertTrue(marked.get(0).onFront());
    assertTrue(marked.get(1).onFront());
    assertFalse(marked.get(2).onFront());
    assertFalse(marked.get(3).onFront());
    assertFalse(marked.get(4).onFront());
  }
}
