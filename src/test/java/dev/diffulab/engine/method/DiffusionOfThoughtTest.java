package dev.diffulab.engine.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import org.junit.jupiter.api.Test;

/** A later pass's step: kept thoughts shown as kept, a token written anew marked as revised. */
class DiffusionOfThoughtTest {
  private static final int MASK = 4;

  @Test
  void aTokenALaterPassWritesDifferentlyIsMarkedChanged() {
    // prompt of 2, one kept thought of 2 (positions 2–3), the rest written by this pass
    int[] before = {10, 11, 20, 21, 22, 23, MASK};
    int[] now = {10, 11, 20, 21, 22, 29, 30};
    TokenState r = TokenState.REVEALED;
    TraceStep st = new TraceStep(3, 0.5, now, new TokenState[]{TokenState.GIVEN,
        TokenState.GIVEN, r, r, r, r, r}, new float[7], new float[7], new int[7][0],
        new float[7][0]);
    TraceStep out = DiffusionOfThought.renumber(st, 9, 2, 4, before, MASK);
    assertEquals(9, out.step());
    assertArrayEquals(new TokenState[]{TokenState.GIVEN, TokenState.GIVEN, TokenState.KEPT,
        TokenState.KEPT, r, TokenState.CHANGED, r}, out.states(),
        "same token: revealed; another token: changed; a blank before: revealed");
    assertArrayEquals(now, out.tokens());
    TraceStep first = DiffusionOfThought.renumber(st, 0, 2, 2, null, MASK);
    assertEquals(r, first.states()[5], "the first pass revises nothing");
  }
}
