package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.snapshot.Background;
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

  record Trained(int step) implements Background {
  }

  record TrainedPoint(int step) implements StreamItem, Background {
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

  @Test
  void theWakeRunsOncePerPendingBatchAndNeverWhileNothingIsPublished() {
    FrameDispatcher d = new FrameDispatcher();
    List<Integer> seen = new ArrayList<>();
    d.subscribe(Progress.class, p -> seen.add(p.step()));
    int[] wakes = {0};
    d.onPending(() -> wakes[0]++);
    assertEquals(0, wakes[0], "nothing published: nothing scheduled");
    for (int i = 0; i < 1000; i++) {
      d.publish(new Progress(i));
    }
    assertEquals(1, wakes[0], "one scheduled delivery for a burst, not one per snapshot");
    assertEquals(0, d.waitNanos(5_000_000), "the first delivery may come at once");
    assertTrue(d.drain(5_000_000));
    assertEquals(List.of(999), seen);
    assertFalse(d.hasPending());
    assertEquals(1, wakes[0], "delivered and nothing new: no wake");
    d.publish(new Progress(1000));
    assertEquals(2, wakes[0], "something new after a delivery wakes it again");
    assertEquals(33_000_000 - 10_000_000, d.waitNanos(15_000_000),
        "the next delivery waits out the interval since the last");
  }

  @Test
  void aDrainThatComesTooSoonKeepsWhatIsPendingAndAsksAgain() {
    FrameDispatcher d = new FrameDispatcher();
    List<Integer> points = new ArrayList<>();
    d.subscribeStream(Point.class, batch -> batch.forEach(p -> points.add(p.step())));
    int[] wakes = {0};
    d.onPending(() -> wakes[0]++);
    d.publish(new Point(1));
    assertTrue(d.drain(0));
    d.publish(new Point(2));
    assertEquals(2, wakes[0]);
    assertFalse(d.drain(1_000_000), "too soon");
    assertEquals(3, wakes[0], "asked to be woken again rather than dropping the point");
    assertTrue(d.drain(40_000_000));
    assertEquals(List.of(1, 2), points);
  }

  @Test
  void whatWasPublishedBeforeTheWakeWasSetIsScheduledWhenItIs() {
    FrameDispatcher d = new FrameDispatcher();
    d.publish(new Progress(1));
    int[] wakes = {0};
    d.onPending(() -> wakes[0]++);
    assertEquals(1, wakes[0], "published while no clock was attached, delivered when one is");
  }

  @Test
  void aTrainingRunIsShownAFewTimesASecondWhileRepliesStillComeAtFrameRate() {
    FrameDispatcher d = new FrameDispatcher();
    List<Integer> trained = new ArrayList<>();
    List<Integer> points = new ArrayList<>();
    List<Integer> replies = new ArrayList<>();
    d.subscribe(Trained.class, t -> trained.add(t.step()));
    d.subscribeStream(TrainedPoint.class, b -> b.forEach(p -> points.add(p.step())));
    d.subscribe(Progress.class, p -> replies.add(p.step()));
    int deliveries = 0;
    int step = 0;
    for (long t = 0; t < 2_000_000_000L; t += 16_666_667L) { // two seconds at 60 Hz
      d.publish(new Trained(step));
      d.publish(new TrainedPoint(step));
      d.publish(new Progress(step)); // say, the slider's prediction, every frame
      step++;
      if (d.onFrame(t)) {
        deliveries++;
      }
    }
    assertTrue(trained.size() >= 7 && trained.size() <= 9, "training updates: " + trained.size());
    assertTrue(replies.size() >= 50, "replies still at frame rate: " + replies.size());
    assertEquals(deliveries, replies.size());
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      all.add(i);
    }
    assertEquals(all, points, "no loss point dropped, all in order, though shown in fewer batches");
    assertTrue(d.hasPending(), "the last few points wait for the next training delivery");
    assertTrue(d.deliverNow());
    assertEquals(step, points.size(), "deliverNow hands over the training's too");
    assertEquals(step - 1, replies.get(replies.size() - 1));
    assertEquals(step - 1, trained.get(trained.size() - 1), "the newest training update");
  }

  @Test
  void onlyTrainingPendingWaitsForTheTrainingInterval() {
    FrameDispatcher d = new FrameDispatcher();
    d.publish(new Trained(1));
    assertTrue(d.onFrame(0));
    d.publish(new Trained(2));
    assertEquals(FrameDispatcher.BACKGROUND_INTERVAL_NANOS - 40_000_000,
        d.waitNanos(40_000_000), "a training update waits for its own interval");
    assertFalse(d.onFrame(40_000_000));
    d.publish(new Progress(3));
    assertEquals(0, d.waitNanos(40_000_000), "a reply does not wait for it");
    assertTrue(d.onFrame(40_000_000));
    assertTrue(d.hasPending(), "the training update still waits");
    assertTrue(d.onFrame(FrameDispatcher.BACKGROUND_INTERVAL_NANOS));
    assertFalse(d.hasPending());
  }

  @Test
  void aTrainingUpdateLeftBehindAReplyIsScheduledWithoutWaitingForMorePublishing() {
    FrameDispatcher d = new FrameDispatcher();
    int[] wakes = {0};
    d.onPending(() -> wakes[0]++);
    d.publish(new Trained(1));
    assertTrue(d.drain(0));
    d.publish(new Trained(2)); // say, the run's last progress: nothing follows it
    d.publish(new Progress(7));
    assertEquals(2, wakes[0]);
    assertTrue(d.drain(40_000_000), "the reply goes at once");
    assertTrue(d.hasPending());
    assertEquals(3, wakes[0], "the training update left behind asks for its own delivery");
    assertEquals(FrameDispatcher.BACKGROUND_INTERVAL_NANOS - 40_000_000,
        d.waitNanos(40_000_000));
  }
}
