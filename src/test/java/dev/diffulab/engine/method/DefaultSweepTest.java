package dev.diffulab.engine.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SweepGrid;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every family that samples has a frontier of its own to sweep when none is given: its default
 * grid parses against the default sampler and has more than one point, each a distinct setting.
 */
class DefaultSweepTest {
  private static List<SweepGrid.Point> points(Method m) {
    RunConfig c = RunConfig.parse("{}", "defaults");
    return SweepGrid.parse(DiffusionMethod.of(m).defaultSweep(), "the default sweep")
        .points(c.sampler(), c.model().seqLen(), "the default sweep");
  }

  @ParameterizedTest
  @EnumSource(value = Method.class, names = "AUTOENCODER", mode = EnumSource.Mode.EXCLUDE)
  void everySamplingFamilySweepsMoreThanOneSetting(Method m) {
    List<SweepGrid.Point> p = points(m);
    assertTrue(p.size() > 1, m + ": " + p);
    assertEquals(p.size(), p.stream().map(SweepGrid.Point::sampler).distinct().count(),
        m + ": every point a different sampler");
  }

  @Test
  void latentDiffusionSweepsDdimsStepCountWithAndWithoutNoise() {
    assertEquals(List.of(10, 10, 25, 25, 50, 50, 100, 100), points(Method.LATENT).stream()
        .map(x -> x.sampler().steps()).toList());
    assertEquals(List.of(0.0, 1.0), points(Method.LATENT).stream()
        .map(x -> x.sampler().eta()).distinct().toList());
  }

  @Test
  void cdcdSweepsBothSolversAtEveryTemperatureAndStepCount() {
    List<SweepGrid.Point> p = points(Method.CDCD);
    assertEquals(12, p.size(), p.toString());
    for (String solver : List.of("euler", "ancestral")) {
      assertEquals(6, p.stream().filter(x -> x.sampler().solver().id().equals(solver)).count(),
          solver + " in " + p);
    }
  }
}
