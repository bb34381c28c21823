package dev.diffulab.ui.common;

import javafx.animation.AnimationTimer;

/** Drives a {@link FrameDispatcher} from the JavaFX pulse: one drain per frame. */
public final class FxFrameClock extends AnimationTimer {
  private final FrameDispatcher dispatcher;

  public FxFrameClock(FrameDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void handle(long now) {
    dispatcher.onFrame(now);
  }
}
