package io.djlgather.spark;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Prints one line per finished partition (Spark task) on the driver: stage, tasks finished of the
 * stage's total, time, rows written, and the failure reason of a failed task. Spark calls it from
 * its listener thread; register it with {@code SparkContext.addSparkListener} for the job's
 * duration and remove it after.
 */
public final class Progress extends SparkListener {

    private final PrintStream out;
    private final String job;
    private final Map<Integer, Integer> stageTasks = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> stageDone = new ConcurrentHashMap<>();
    private final AtomicInteger tasksEnded = new AtomicInteger();

    /**
     * Creates the listener.
     *
     * @param out where the lines go
     * @param job the job's name, first on each line
     */
    public Progress(PrintStream out, String job) {
        this.out = out;
        this.job = job;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        stageTasks.put(submitted.stageInfo().stageId(), submitted.stageInfo().numTasks());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        tasksEnded.incrementAndGet();
        int stage = end.stageId();
        int done = stageDone.computeIfAbsent(stage, s -> new AtomicInteger()).incrementAndGet();
        Integer total = stageTasks.get(stage);
        long written = end.taskMetrics() == null ? 0 : end.taskMetrics().outputMetrics().recordsWritten();
        boolean ok = end.reason() == Success$.MODULE$;
        out.printf("%s: stage %d partition %d %s (%d/%s), %.2f s%s%n",
                job, stage, end.taskInfo().index(), ok ? "finished" : "FAILED: " + end.reason(),
                done, total == null ? "?" : total.toString(), end.taskInfo().duration() / 1000.0,
                written > 0 ? ", " + written + " rows written" : "");
    }

    /** Returns how many tasks have ended (finished or failed) since this listener was added. */
    public int tasksEnded() {
        return tasksEnded.get();
    }
}
