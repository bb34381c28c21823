package dev.diffulab.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How closely a set of samples matches the text it was trained on, for any corpus: the
 * total-variation distance between their n-gram (or attribute) distributions, distinct-n as a
 * ratio to as many corpus documents, self-BLEU (how alike the samples are to one another) and
 * a finite-sample floor for every distance, so a number is read against what the corpus itself
 * scores at the same size.
 */
public final class DistributionMatch {
  private DistributionMatch() {
  }

  /**
   * Total-variation distance ½ Σ |p(x) − q(x)| between the distributions of two count tables:
   * 0 when they are the same, 1 when they share nothing. An empty table is at distance 1 from a
   * non-empty one, 0 from another empty one.
   */
  public static <K> double totalVariation(Map<K, Long> p, Map<K, Long> q) {
    double np = total(p.values());
    double nq = total(q.values());
    if (np == 0 || nq == 0) {
      return np == nq ? 0 : 1;
    }
    double sum = 0;
    for (var e : p.entrySet()) {
      sum += Math.abs(e.getValue() / np - q.getOrDefault(e.getKey(), 0L) / nq);
    }
    for (var e : q.entrySet()) {
      if (!p.containsKey(e.getKey())) {
        sum += e.getValue() / nq;
      }
    }
    return Math.min(1, sum / 2);
  }

  private static double total(Collection<Long> counts) {
    double t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** The counts of every n-gram of token ids in the documents. */
  public static Map<List<Integer>, Long> ngrams(List<int[]> docs, int n) {
    Map<List<Integer>, Long> counts = new HashMap<>();
    for (int[] d : docs) {
      for (int i = 0; i + n <= d.length; i++) {
        counts.merge(gram(d, i, n), 1L, Long::sum);
      }
    }
    return counts;
  }

  private static List<Integer> gram(int[] d, int at, int n) {
    Integer[] g = new Integer[n];
    for (int k = 0; k < n; k++) {
      g[k] = d[at + k];
    }
    return Arrays.asList(g);
  }

  /**
   * distinct-n of the samples over distinct-n of as many corpus documents (drawn with the seed):
   * 1 when the samples vary as much as the corpus does, near 0 when they repeat themselves. NaN
   * when the corpus has no n-grams.
   */
  public static double distinctRatio(List<int[]> samples, List<int[]> corpus, int n, long seed) {
    List<int[]> same = draw(corpus, samples.size(), seed);
    double reference = SampleMetrics.distinct(same, n);
    return reference == 0 ? Double.NaN : SampleMetrics.distinct(samples, n) / reference;
  }

  /** {@code k} documents drawn without replacement (all of them when there are fewer). */
  public static <T> List<T> draw(List<T> docs, int k, long seed) {
    if (k >= docs.size()) {
      return docs;
    }
    List<T> copy = new ArrayList<>(docs);
    Random r = new Random(seed);
    for (int i = 0; i < k; i++) {
      java.util.Collections.swap(copy, i, i + r.nextInt(copy.size() - i));
    }
    return copy.subList(0, k);
  }

  /**
   * Self-BLEU (Zhu et al. 2018): the mean BLEU-{@code maxN} of each sample against all the
   * others as references — 1 when every sample is the same text, low when they differ. Uniform
   * weights, the brevity penalty against the closest reference length, and a zero precision
   * smoothed to 0.1 / count (Chen &amp; Cherry's method 1). NaN for fewer than two samples.
   */
  public static double selfBleu(List<int[]> samples, int maxN) {
    int s = samples.size();
    if (s < 2) {
      return Double.NaN;
    }
    double[] logPrecision = new double[s];
    for (int n = 1; n <= maxN; n++) {
      // per n-gram: the largest count in any sample, who holds it, and the second largest
      Map<List<Integer>, long[]> top = new HashMap<>();
      List<Map<List<Integer>, Long>> own = new ArrayList<>(s);
      for (int i = 0; i < s; i++) {
        Map<List<Integer>, Long> c = ngrams(List.of(samples.get(i)), n);
        own.add(c);
        for (var e : c.entrySet()) {
          long[] t = top.computeIfAbsent(e.getKey(), k -> new long[]{0, -1, 0});
          long v = e.getValue();
          if (v > t[0]) {
            t[2] = t[0];
            t[0] = v;
            t[1] = i;
          } else if (v > t[2]) {
            t[2] = v;
          }
        }
      }
      for (int i = 0; i < s; i++) {
        long matched = 0;
        long count = 0;
        for (var e : own.get(i).entrySet()) {
          long[] t = top.get(e.getKey());
          long others = t[1] == i ? t[2] : t[0];
          matched += Math.min(e.getValue(), others);
          count += e.getValue();
        }
        double p = count == 0 ? 0 : matched == 0 ? 0.1 / count : (double) matched / count;
        logPrecision[i] += p == 0 ? Double.NEGATIVE_INFINITY : Math.log(p);
      }
    }
    int[] lengths = samples.stream().mapToInt(a -> a.length).sorted().toArray();
    double sum = 0;
    for (int i = 0; i < s; i++) {
      int len = samples.get(i).length;
      int ref = closestOther(lengths, len);
      double bp = len == 0 ? 0 : len >= ref ? 1 : Math.exp(1 - (double) ref / len);
      sum += bp * Math.exp(logPrecision[i] / maxN);
    }
    return sum / s;
  }

  /** The length in the sorted list closest to {@code len}, one copy of {@code len} left out. */
  private static int closestOther(int[] sorted, int len) {
    int lo = Arrays.binarySearch(sorted, len); // sorted holds len
    while (lo > 0 && sorted[lo - 1] == len) {
      lo--;
    }
    if (lo + 1 < sorted.length && sorted[lo + 1] == len) {
      return len;
    }
    int below = lo > 0 ? sorted[lo - 1] : Integer.MIN_VALUE;
    int above = lo + 1 < sorted.length ? sorted[lo + 1] : Integer.MAX_VALUE;
    return (long) len - below <= (long) above - len ? below : above;
  }

  /**
   * The total-variation distance the corpus itself shows at {@code k} documents: the mean, over
   * a few seeded draws of {@code k} documents, of their distance to {@code reference}. A sample
   * set cannot be expected to score below it.
   */
  public static <T, K> double floor(List<T> corpus, int k,
      java.util.function.Function<List<T>, Map<K, Long>> counts, Map<K, Long> reference,
      long seed) {
    if (k <= 0 || corpus.isEmpty()) {
      return Double.NaN;
    }
    int draws = 5;
    double sum = 0;
    for (int d = 0; d < draws; d++) {
      sum += totalVariation(counts.apply(draw(corpus, k, seed + d)), reference);
    }
    return sum / draws;
  }
}
