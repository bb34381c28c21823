package dev.diffulab.core.cdcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GivenPositionsTest {
  /** A packed row: documents of the given lengths one after another, then padding. */
  private static int[][] row(int width, int... documents) {
    int[] segment = new int[width];
    int[] positions = new int[width];
    int at = 0;
    for (int d = 0; d < documents.length; d++) {
      for (int i = 0; i < documents[d]; i++, at++) {
        segment[at] = d + 1;
        positions[at] = i;
      }
    }
    return new int[][]{segment, positions};
  }

  @Test
  void withoutARandomShareOnlyPromptsAndPrefixesAreGivenAndNothingElseIsDrawn() {
    int[][] r = row(20, 8, 7);
    boolean[] prompt = new boolean[20];
    prompt[9] = true;
    Random random = new Random(4);
    float[] given = GivenPositions.draw(r[0], r[1], prompt, x -> 2, 0.0, random);
    float[] expected = new float[20];
    expected[0] = expected[1] = 1f; // the first document's prefix
    expected[8] = expected[9] = 1f; // the second's, and its prompt token
    for (int i = 0; i < 20; i++) {
      assertEquals(expected[i], given[i], "position " + i);
    }
    assertEquals(new Random(4).nextLong(), random.nextLong(), "the run's stream is untouched");
  }

  @Test
  void aRandomShareGivesAboutHalfOfEveryChosenDocumentAndKeepsOneNoised() {
    Random random = new Random(9);
    long given = 0;
    long free = 0;
    int documents = 0;
    int untouched = 0;
    for (int n = 0; n < 2000; n++) {
      int[][] r = row(24, 3, 1 + n % 12, 5);
      boolean[] prompt = new boolean[24];
      prompt[0] = true;
      float[] g = GivenPositions.draw(r[0], r[1], prompt, x -> 0, 0.5, random);
      assertEquals(1f, g[0], "a prompt stays given");
      int end = 3 + 1 + n % 12 + 5;
      for (int i = end; i < 24; i++) {
        assertEquals(0f, g[i], "padding is never given");
      }
      int start = 0;
      for (int length : new int[]{3, 1 + n % 12, 5}) {
        int noised = 0;
        int clean = 0;
        for (int i = start; i < start + length; i++) {
          if (!prompt[i]) {
            free++;
            given += (long) g[i];
            clean += (int) g[i];
          }
          noised += g[i] == 0f ? 1 : 0;
        }
        assertTrue(noised > 0, "every document keeps a noised position");
        documents++;
        untouched += clean == 0 ? 1 : 0;
        start += length;
      }
    }
    // half the documents get a subset at a rate uniform in [0, 1): a quarter of the free
    // positions, a little less where a short document had to keep one noised
    double share = (double) given / free;
    assertTrue(share > 0.19 && share < 0.27, "given share " + share);
    double plain = (double) untouched / documents;
    assertTrue(plain > 0.5 && plain < 0.75, "documents without a random subset " + plain);
  }

  @Test
  void everyDocumentGetsASubsetAtFullShare() {
    Random random = new Random(2);
    int withSubset = 0;
    for (int n = 0; n < 500; n++) {
      int[][] r = row(40, 40);
      float[] g = GivenPositions.draw(r[0], r[1], new boolean[40], x -> 0, 1.0, random);
      int clean = 0;
      for (float v : g) {
        clean += (int) v;
      }
      assertTrue(clean < 40, "one position stays noised");
      withSubset += clean > 0 ? 1 : 0;
    }
    assertTrue(withSubset > 470, "a subset for nearly every document: " + withSubset);
  }
}
