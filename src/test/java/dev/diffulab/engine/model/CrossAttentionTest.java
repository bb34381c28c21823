package dev.diffulab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Cross-attention's shapes and masking: queries (B, T, D) read a memory (B, S, D) of another
 * length and come out (B, T, D); a fresh block is the identity; once its output map is not zero,
 * changing the memory at a padded position changes nothing and at a real one changes the output.
 */
class CrossAttentionTest {
  @Test
  void readsTheMemoryButNeverItsPadding() {
    try (NDManager m = NDManager.newBaseManager()) {
      CrossAttention block = new CrossAttention(8, 2);
      block.initialize(m, DataType.FLOAT32, new Shape(2, 3, 8), new Shape(2, 5, 8),
          new Shape(2, 1, 1, 5));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray x = m.randomNormal(new Shape(2, 3, 8));
      NDArray memory = m.randomNormal(new Shape(2, 5, 8));
      NDArray keep = m.create(new float[][]{{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}}); // (B, S)
      NDArray bias = Denoiser.keyBias(keep);
      NDArray fresh = block.forward(ps, new NDList(x, memory, bias), false).head();
      assertEquals(new Shape(2, 3, 8), fresh.getShape());
      assertArrayEquals(x.toFloatArray(), fresh.toFloatArray(), 1e-6f,
          "the output map starts at zero: a fresh block passes its input through");

      // child blocks' parameters are named by their place and name ("04out_weight")
      block.getParameters().stream().filter(p -> p.getKey().endsWith("out_weight"))
          .findFirst().orElseThrow().getValue().getArray()
          .set(m.randomNormal(new Shape(8, 8)).toFloatArray());
      float[] before = block.forward(ps, new NDList(x, memory, bias), false).head()
          .toFloatArray();
      float[] m2 = memory.toFloatArray();
      // row 0, position 4 is padding; row 1, position 4 is real
      for (int d = 0; d < 8; d++) {
        m2[4 * 8 + d] += 5f;
        m2[5 * 8 + 4 * 8 + d] += 5f;
      }
      float[] after = block.forward(ps, new NDList(x, m.create(m2, memory.getShape()), bias),
          false).head().toFloatArray();
      int row = 3 * 8;
      assertArrayEquals(Arrays.copyOf(before, row), Arrays.copyOf(after, row), 1e-5f,
          "padding is never read");
      assertFalse(Arrays.equals(Arrays.copyOfRange(before, row, 2 * row),
          Arrays.copyOfRange(after, row, 2 * row)), "a real position is");
    }
  }
}
