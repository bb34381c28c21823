package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.core.snapshot.StreamItem;
import dev.diffulab.ui.common.FrameDispatcher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDispatcherTest {
  record Progress(int step) implements Snapshot {
  }

  record Point(int step) implements StreamItem {
  }

  @Test
  void aBurstOfTenThousandSnapshotsArrivesAsOneUpdateCarryingTheLast() throws Exception {
    FrameDispatcher d = new FrameDispatcher();
    List<Integer> seen = new ArrayList<>();
    d.subscribe(Progress.class, p -> seen.add(p.step()));
    Thread producer = new Thread(() -> {
      for (int i = 0; i < 10_000; i++) {
        d.publish(new Progress(i));
      }
    });
    producer.start();
    producer.join();
    assertTrue(d.onFrame(0));
    assertEquals(List.of(9_999), seen);
    assertFalse(d.onFrame(16_000_000), "nothing new, nothing delivered");
    assertEquals(1, seen.size());
  }

  @Test
  void streamItemsAreDrainedInOrderAsOneBatchPerFrame() {
    FrameDispatcher d = new FrameDispatcher();
    List<List<Point>> batches = new ArrayList<>();
    d.subscribeStream(Point.class, batches::add);
    for (int i = 0; i < 10_000; i++) {
      d.publish(new Point(i));
    }
    d.onFrame(0);
    assertEquals(1, batches.size());
    assertEquals(10_000, batches.get(0).size());
    assertEquals(9_999, batches.get(0).get(9_999).step());
    assertEquals(0, batches.get(0).get(0).step());
  }

  @Test
  void deliveriesAreAtMostAboutThirtyPerSecond() {
    FrameDispatcher d = new FrameDispatcher();
    List<Integer> seen = new ArrayList<>();
    d.subscribe(Progress.class, p -> seen.add(p.step()));
    int frames = 0;
    for (long t = 0; t < 1_000_000_000L; t += 16_666_667L) { // one second at 60 Hz
      d.publish(new Progress(frames++));
      d.onFrame(t);
    }
    assertTrue(seen.size() <= 31 && seen.size() >= 25, "deliveries: " + seen.size());
  }

  @Test
  void deliverNowHandsOverWhatIsPendingEvenRightAfterAFrame() {
    FrameDispatcher d = new FrameDispatcher();
    List<Integer> points = new ArrayList<>();
    d.subscribeStream(Point.class, batch -> batch.forEach(p -> points.add(p.step())));
    d.publish(new Point(1));
    assertTrue(d.onFrame(0));
    d.publish(new Point(2));
    assertFalse(d.onFrame(1_000_000), "too soon for a frame");
    assertTrue(d.deliverNow(), "a finished task's last points are not left waiting");
    assertEquals(List.of(1, 2), points);
  }
}
