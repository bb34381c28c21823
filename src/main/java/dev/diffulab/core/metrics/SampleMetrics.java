package dev.diffulab.core.metrics;

import dev.diffulab.core.tinytales.TinyTalesValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How good and how varied a set of samples is: distinct n-gram ratios, the entropy of their token
 * distribution, and — for TinyTales — the share the validator accepts, how many of those differ,
 * and how many merely copy a training story.
 */
public final class SampleMetrics {
  private SampleMetrics() {
  }

  /** Distinct n-grams over all n-grams of the samples' tokens (Li et al. 2016's distinct-n). */
  public static double distinct(List<int[]> samples, int n) {
    Set<List<Integer>> seen = new HashSet<>();
    long total = 0;
    for (int[] s : samples) {
      for (int i = 0; i + n <= s.length; i++) {
        List<Integer> gram = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          gram.add(s[i + k]);
        }
        seen.add(gram);
        total++;
      }
    }
    return total == 0 ? 0 : (double) seen.size() / total;
  }

  /** Entropy in nats of the tokens the samples use. */
  public static double tokenEntropy(List<int[]> samples) {
    Map<Integer, Long> counts = new HashMap<>();
    for (int[] s : samples) {
      for (int t : s) {
        counts.merge(t, 1L, Long::sum);
      }
    }
    return Entropy.ofCounts(counts.values().stream().mapToLong(Long::longValue).toArray());
  }

  /** The TinyTales verdicts on a set of samples. */
  public record Validity(double validFraction, double uniqueValidFraction,
      double trainCopyFraction, List<String> firstErrors) {
  }

  public static Validity validity(List<String> texts, Set<String> trainingStories) {
    TinyTalesValidator v = new TinyTalesValidator();
    int valid = 0;
    int copies = 0;
    Set<String> distinctValid = new HashSet<>();
    List<String> errors = new ArrayList<>();
    for (String t : texts) {
      TinyTalesValidator.Verdict verdict = v.validate(t);
      if (verdict.valid()) {
        valid++;
        distinctValid.add(t.strip());
      } else if (errors.size() < 5) {
        errors.add(verdict.firstError());
      }
      if (trainingStories.contains(t.strip())) {
        copies++;
      }
    }
    int n = Math.max(1, texts.size());
    return new Validity((double) valid / n, valid == 0 ? 0 : (double) distinctValid.size() / valid,
        (double) copies / n, errors);
  }
}
