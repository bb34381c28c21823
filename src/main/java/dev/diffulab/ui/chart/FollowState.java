package dev.diffulab.ui.chart;

/**
 * Whether a live chart follows the run (its axes fit all data as it arrives) or holds the range
 * the person zoomed or panned to, until they press Fit.
 */
public final class FollowState {
  private boolean following = true;

  public boolean following() {
    return following;
  }

  /** The person zoomed or panned: stop following. */
  public void userMovedView() {
    following = false;
  }

  /** Fit: show everything and follow again. */
  public void fit() {
    following = true;
  }
}
