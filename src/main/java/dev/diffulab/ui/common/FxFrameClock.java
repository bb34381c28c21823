package dev.diffulab.ui.common;

/**
 * Drives a {@link FrameDispatcher} on the JavaFX thread on demand: when the engine publishes, one
 * drain is scheduled (at once, or when the dispatcher's interval allows); when nothing is
 * published, nothing runs — no frame timer keeps the toolkit pulsing.
 */
public final class FxFrameClock {
  private final FrameDispatcher dispatcher;
  private volatile boolean stopped = true;

  public FxFrameClock(FrameDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  public void start() {
    stopped = false;
    dispatcher.onPending(this::schedule);
  }

  public void stop() {
    stopped = true;
  }

  private void schedule() {
    FxLater.run(dispatcher.waitNanos(System.nanoTime()), () -> {
      if (!stopped) {
        dispatcher.drain(System.nanoTime());
      }
    });
  }
}
