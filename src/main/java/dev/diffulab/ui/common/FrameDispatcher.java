package dev.diffulab.ui.common;

import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.core.snapshot.StreamItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Moves engine snapshots to the UI thread. {@link #publish} may be called from any thread and
 * never blocks; {@link #onFrame} runs on the UI thread once per frame and delivers, at most every
 * {@code minIntervalNanos}, the newest snapshot of each type (older ones are dropped) and every
 * {@link StreamItem} published since the last delivery, in order, as one batch. Knows no toolkit:
 * the app drives it from an AnimationTimer, tests call {@link #onFrame} themselves.
 */
public final class FrameDispatcher {
  /** About 30 deliveries a second. */
  public static final long DEFAULT_INTERVAL_NANOS = 33_000_000L;

  private final long minIntervalNanos;
  private final Map<Class<?>, Snapshot> latest = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<StreamItem> stream = new ConcurrentLinkedQueue<>();
  private final Map<Class<?>, List<Consumer<Object>>> listeners = new ConcurrentHashMap<>();
  private final Map<Class<?>, List<Consumer<List<Object>>>> streamListeners = new ConcurrentHashMap<>();
  private long lastDelivery = Long.MIN_VALUE;

  public FrameDispatcher() {
    this(DEFAULT_INTERVAL_NANOS);
  }

  public FrameDispatcher(long minIntervalNanos) {
    this.minIntervalNanos = minIntervalNanos;
  }

  /** Any thread. */
  public void publish(Snapshot s) {
    if (s instanceof StreamItem item) {
      stream.add(item);
    } else {
      latest.put(s.getClass(), s);
    }
  }

  /** Called with the newest snapshot of {@code type}, on the UI thread. */
  @SuppressWarnings("unchecked")
  public <T extends Snapshot> void subscribe(Class<T> type, Consumer<? super T> listener) {
    listeners.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>())
        .add(o -> listener.accept((T) o));
  }

  /** Called with every item of {@code type} published since the last frame, in order. */
  @SuppressWarnings("unchecked")
  public <T extends StreamItem> void subscribeStream(Class<T> type,
      Consumer<? super List<T>> listener) {
    streamListeners.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>())
        .add(list -> listener.accept((List<T>) (List<?>) list));
  }

  /**
   * One frame on the UI thread: delivers what is pending unless the last delivery was less than
   * the interval ago. Returns whether anything was delivered.
   */
  public boolean onFrame(long nowNanos) {
    if (lastDelivery != Long.MIN_VALUE && nowNanos - lastDelivery < minIntervalNanos) {
      return false;
    }
    boolean delivered = deliverNow();
    if (delivered) {
      lastDelivery = nowNanos;
    }
    return delivered;
  }

  /**
   * Delivers everything pending at once, on the UI thread: for the end of a task, so that what it
   * published before finishing is seen before its result is handled.
   */
  public boolean deliverNow() {
    boolean delivered = false;
    Map<Class<?>, List<Object>> batches = new java.util.LinkedHashMap<>();
    for (StreamItem item; (item = stream.poll()) != null;) {
      batches.computeIfAbsent(item.getClass(), k -> new ArrayList<>()).add(item);
    }
    for (var e : batches.entrySet()) {
      for (Consumer<List<Object>> l : streamListeners.getOrDefault(e.getKey(), List.of())) {
        l.accept(e.getValue());
      }
      delivered = true;
    }
    for (Class<?> type : List.copyOf(latest.keySet())) {
      Snapshot s = latest.remove(type);
      if (s != null) {
        for (Consumer<Object> l : listeners.getOrDefault(type, List.of())) {
          l.accept(s);
        }
        delivered = true;
      }
    }
    return delivered;
  }
}
