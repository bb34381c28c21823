package dev.diffulab.ui.common;

import dev.diffulab.core.snapshot.Background;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.core.snapshot.StreamItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Moves engine snapshots to the UI thread. {@link #publish} may be called from any thread and
 * never blocks; {@link #onFrame} runs on the UI thread and delivers, at most every
 * {@code minIntervalNanos} ({@link Background} snapshots at most every
 * {@code backgroundIntervalNanos}), the newest snapshot of each type (older ones are dropped) and
 * every {@link StreamItem} published since the last delivery, in order, as one batch. Knows no
 * toolkit: the app wakes on demand ({@link #onPending}: nothing runs on the UI thread while nothing is
 * published), tests call {@link #onFrame} themselves.
 */
public final class FrameDispatcher {
  /** About 30 deliveries a second. */
  public static final long DEFAULT_INTERVAL_NANOS = 33_000_000L;

  private final long minIntervalNanos;
  private final Map<Class<?>, Snapshot> latest = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<StreamItem> stream = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<StreamItem> backgroundStream = new ConcurrentLinkedQueue<>();
  private final Map<Class<?>, List<Consumer<Object>>> listeners = new ConcurrentHashMap<>();
  private final Map<Class<?>, List<Consumer<List<Object>>>> streamListeners = new ConcurrentHashMap<>();
  private final long backgroundIntervalNanos;
  private volatile long lastDelivery = Long.MIN_VALUE;
  private volatile long lastBackground = Long.MIN_VALUE;
  /** Whether a {@link #drain} is scheduled: the wake runs once per pending batch, not per item. */
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile Runnable wake; // null until a clock attaches: nothing is armed without one

  /**
   * {@link Background} snapshots — a training run's — about four times a second: each delivery is
   * a frame, and a software-rendered frame of this window costs milliseconds of the CPU that
   * trains. Live charts redraw at most every {@code LiveLineChart.STREAM_INTERVAL_NANOS}, a
   * shorter interval, so they redraw within these deliveries, not in frames of their own.
   */
  public static final long BACKGROUND_INTERVAL_NANOS = 250_000_000L;

  public FrameDispatcher() {
    this(DEFAULT_INTERVAL_NANOS, BACKGROUND_INTERVAL_NANOS);
  }

  public FrameDispatcher(long minIntervalNanos, long backgroundIntervalNanos) {
    this.minIntervalNanos = minIntervalNanos;
    this.backgroundIntervalNanos = Math.max(minIntervalNanos, backgroundIntervalNanos);
  }

  /** Any thread. */
  public void publish(Snapshot s) {
    if (s instanceof StreamItem item) {
      (s instanceof Background ? backgroundStream : stream).add(item);
    } else {
      latest.put(s.getClass(), s);
    }
    Runnable w = wake;
    if (w != null && armed.compareAndSet(false, true)) {
      w.run();
    }
  }

  /**
   * {@code wake} runs on the publishing thread when something becomes pending and no
   * {@link #drain} is scheduled yet; it should run {@link #drain} on the UI thread after
   * {@link #waitNanos}. Replaces a frame timer: a window that shows nothing new does no work.
   */
  public void onPending(Runnable wake) {
    this.wake = wake;
    // what was published before there was a wake is scheduled now
    if (hasPending() && armed.compareAndSet(false, true)) {
      wake.run();
    }
  }

  /** How long from {@code nowNanos} until what is pending may be delivered (0: at once). */
  public long waitNanos(long nowNanos) {
    long wait = waitFor(lastDelivery, minIntervalNanos, nowNanos);
    boolean foreground = !stream.isEmpty()
        || latest.keySet().stream().anyMatch(t -> !Background.class.isAssignableFrom(t));
    return foreground
        ? wait
        : Math.max(wait, waitFor(lastBackground, backgroundIntervalNanos, nowNanos));
  }

  /** Whether anything published waits for delivery. */
  public boolean hasPending() {
    return !stream.isEmpty() || !backgroundStream.isEmpty() || !latest.isEmpty();
  }

  /**
   * The scheduled delivery, on the UI thread: {@link #onFrame}, and if anything is left (too
   * soon, or not yet a training run's turn), the wake again for later. What is published while
   * this runs schedules the next one.
   */
  public boolean drain(long nowNanos) {
    armed.set(false);
    boolean delivered = onFrame(nowNanos);
    // too soon, or a training run's snapshots waiting for their turn behind what was delivered
    if (hasPending() && wake != null && armed.compareAndSet(false, true)) {
      wake.run();
    }
    return delivered;
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
   * the interval ago — {@link Background} snapshots only every {@link #BACKGROUND_INTERVAL_NANOS}
   * (a training run's progress waits for its turn; a reply to the person does not). Returns
   * whether anything was delivered.
   */
  public boolean onFrame(long nowNanos) {
    if (waitFor(lastDelivery, minIntervalNanos, nowNanos) > 0) {
      return false;
    }
    boolean delivered = deliver(waitFor(lastBackground, backgroundIntervalNanos, nowNanos) == 0,
        nowNanos);
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
    return deliver(true, Long.MIN_VALUE);
  }

  private static long waitFor(long last, long interval, long now) {
    return last == Long.MIN_VALUE ? 0 : Math.max(0, last + interval - now);
  }

  /** Delivers the pending foreground, and the background too when asked; notes when it did. */
  private boolean deliver(boolean background, long nowNanos) {
    boolean delivered = deliverStream(stream);
    boolean backgroundDelivered = background && deliverStream(backgroundStream);
    for (Class<?> type : List.copyOf(latest.keySet())) {
      boolean isBackground = Background.class.isAssignableFrom(type);
      if (isBackground && !background) {
        continue;
      }
      Snapshot s = latest.remove(type);
      if (s != null) {
        for (Consumer<Object> l : listeners.getOrDefault(type, List.of())) {
          l.accept(s);
        }
        delivered = true;
        backgroundDelivered |= isBackground;
      }
    }
    if (backgroundDelivered && nowNanos != Long.MIN_VALUE) {
      lastBackground = nowNanos;
    }
    return delivered || backgroundDelivered;
  }

  private boolean deliverStream(ConcurrentLinkedQueue<StreamItem> queue) {
    Map<Class<?>, List<Object>> batches = new java.util.LinkedHashMap<>();
    for (StreamItem item; (item = queue.poll()) != null;) {
      batches.computeIfAbsent(item.getClass(), k -> new ArrayList<>()).add(item);
    }
    for (var e : batches.entrySet()) {
      for (Consumer<List<Object>> l : streamListeners.getOrDefault(e.getKey(), List.of())) {
        l.accept(e.getValue());
      }
    }
    return !batches.isEmpty();
  }
}
