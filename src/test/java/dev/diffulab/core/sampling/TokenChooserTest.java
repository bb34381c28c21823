package dev.diffulab.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.SamplerConfig.TokenChoice;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** min-p's candidates follow the likeliest token's probability; the draw keeps their odds. */
class TokenChooserTest {
  @Test
  void minPDrawsOnlyAmongTokensNearTheLikeliest() {
    float[] p = {0.0625f, 0.5f, 0.25f, 0.03125f, 0.125f};
    TokenChooser c = new TokenChooser(TokenChoice.MIN_P, 1, 1, 0.2); // cut at 0.1
    // candidates most likely first: 1 (0.5), 2 (0.25), 4 (0.125), of total 0.875
    assertEquals(1, c.choose(p, 0, 5, 0.0));
    assertEquals(1, c.choose(p, 0, 5, 0.57)); // 0.5 / 0.875 = 0.571…
    assertEquals(2, c.choose(p, 0, 5, 0.58));
    assertEquals(2, c.choose(p, 0, 5, 0.85)); // 0.75 / 0.875 = 0.857…
    assertEquals(4, c.choose(p, 0, 5, 0.86));
    assertEquals(4, c.choose(p, 0, 5, 0.999999));
    int[] seen = new int[5];
    Random r = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      seen[c.choose(p, 0, 5, r)]++;
    }
    assertEquals(0, seen[0] + seen[3], "under the cut");
    assertEquals(0.5 / 0.875, seen[1] / 20_000.0, 0.015);
    assertEquals(0.125 / 0.875, seen[4] / 20_000.0, 0.015);
    // a flat slot keeps every option; a threshold of 1 is greedy
    float[] flat = {0.26f, 0.25f, 0.25f, 0.24f};
    boolean[] any = new boolean[4];
    for (int i = 0; i < 100; i++) {
      any[new TokenChooser(TokenChoice.MIN_P, 1, 1, 0.5).choose(flat, 0, 4, i / 100.0)] = true;
    }
    assertTrue(any[0] && any[1] && any[2] && any[3]);
    assertEquals(0, new TokenChooser(TokenChoice.MIN_P, 1, 1, 1).choose(flat, 0, 4, 0.99));
  }
}
