package dev.diffulab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.tinytales.TinyTalesGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole documents packed into rows: none lost, none split, rows full, the layout recoverable. */
class PackingTest {

  /** Documents of random lengths whose tokens name them: doc i is (i, i, …) + 1000·k. */
  private static List<int[]> documents(int n, int maxLen, long seed) {
    Random r = new Random(seed);
    List<int[]> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] d = new int[1 + r.nextInt(maxLen)];
      Arrays.fill(d, i + 1);
      docs.add(d);
    }
    return docs;
  }

  @Test
  void everyDocumentAppearsOnceWholeInOneSegment() {
    List<int[]> docs = documents(500, 40, 1);
    Packing p = Packing.pack(docs, 64, 7);
    Map<Integer, Integer> seen = new HashMap<>();
    for (int r = 0; r < p.rows().size(); r++) {
      int[] row = p.rows().get(r);
      int[] seg = p.segments().get(r);
      assertEquals(row.length, seg.length);
      assertTrue(row.length <= 64, "a row is at most seqLen long");
      for (int j = 0; j < row.length; j++) {
        assertTrue(seg[j] >= 1);
        if (j > 0) {
          // segments are contiguous and numbered in order; a new segment is a new document
          assertTrue(seg[j] == seg[j - 1] || seg[j] == seg[j - 1] + 1);
          assertEquals(seg[j] == seg[j - 1], row[j] == row[j - 1], "row " + r + " at " + j);
        }
        seen.merge(row[j], 1, Integer::sum);
      }
    }
    for (int i = 0; i < docs.size(); i++) {
      assertEquals(docs.get(i).length, seen.get(i + 1), "document " + i + " whole, once");
    }
    Packing again = Packing.pack(docs, 64, 7);
    assertEquals(p.rows().size(), again.rows().size());
    for (int r = 0; r < p.rows().size(); r++) {
      assertArrayEquals(p.rows().get(r), again.rows().get(r), "deterministic for a seed");
    }
  }

  @Test
  void longDocumentsAreTruncatedNotSplit() {
    Packing p = Packing.pack(List.of(new int[100], new int[]{5, 6}), 32, 1);
    int total = p.rows().stream().mapToInt(r -> r.length).sum();
    assertEquals(34, total);
  }

  @Test
  void shortTextsFillRowsToNinetyPercentAndStoriesBeatOneDocumentPerRow() {
    // short texts (tweets, titles: 1–20 tokens) leave almost no gap
    Packing shortTexts = Packing.pack(documents(5000, 20, 4), 96, 3);
    assertTrue(shortTexts.fill(96) >= 0.9, "fill " + shortTexts.fill(96));
    // TinyTales stories (about 51 tokens: words plus punctuation) in rows of 96: two stories fit
    // together only when both are short, so the fill is bounded near 0.83 — above the 0.53 of one
    // story per row of 96
    List<int[]> docs = new ArrayList<>();
    for (String s : new TinyTalesGenerator(3).stories(3000)) {
      docs.add(new int[s.split(" |(?=[.,!?])").length]);
    }
    Packing stories = Packing.pack(docs, 96, 3);
    double onePerRow = docs.stream().mapToInt(d -> Math.min(96, d.length)).average()
        .orElseThrow() / 96;
    assertTrue(stories.fill(96) > 0.8 && stories.fill(96) > onePerRow + 0.25,
        "fill " + stories.fill(96) + " vs " + onePerRow);
  }

  @Test
  void aPackedBatchNumbersDocumentsAndPositions() {
    Packing p = new Packing(List.of(new int[]{4, 4, 5, 5, 5}, new int[]{6, 6}),
        List.of(new int[]{1, 1, 2, 2, 2}, new int[]{1, 1}));
    TrainBatch b = TrainBatch.of(p, new int[]{0, 1}, 0);
    assertTrue(b.packed());
    assertEquals(3, b.documents());
    assertArrayEquals(new int[]{6, 6, 0, 0, 0}, b.tokens()[1]);
    assertArrayEquals(new int[]{0, 0, 1, 1, 1}, b.document()[0]);
    assertArrayEquals(new int[]{2, 2, -1, -1, -1}, b.document()[1]);
    assertArrayEquals(new int[]{0, 1, 0, 1, 2}, b.positions()[0]);
    // distances to each document's last token, 0 at padding
    assertArrayEquals(new int[]{1, 0, 2, 1, 0}, TrainBatch.ends(b.segment())[0]);
    assertArrayEquals(new int[]{1, 0, 0, 0, 0}, TrainBatch.ends(b.segment())[1]);
    assertEquals(7, b.realTokens());
    TrainBatch plain = TrainBatch.unpacked(new int[][]{{3, 3, 0}, {3, 0, 0}}, 0);
    assertEquals(false, plain.packed());
    assertEquals(2, plain.documents());
  }
}
