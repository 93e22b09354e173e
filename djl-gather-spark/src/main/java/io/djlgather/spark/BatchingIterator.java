package io.djlgather.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A partition's output, computed lazily a group of input records at a time: takes up to {@code
 * batchSize} records, hands them to {@link #process}, yields what it returns, and calls {@link
 * #finish} once, when the input is exhausted or the task ends (whichever comes first; a task that
 * stops early, e.g. after a failure elsewhere, still finishes).
 */
abstract class BatchingIterator implements Iterator<Row> {

    private final Iterator<Row> input;
    private final int batchSize;
    private Iterator<Row> current = Collections.emptyIterator();
    private boolean finished;

    BatchingIterator(Iterator<Row> input, int batchSize) {
        this.input = input;
        this.batchSize = batchSize;
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener(new TaskCompletionListener() {
                @Override
                public void onTaskCompletion(TaskContext context) {
                    finishOnce();
                }
            });
        }
    }

    /** Turns one group of input records into output rows, in input order. */
    abstract List<Row> process(List<Row> group);

    /** Releases what the partition held (its predictor). */
    abstract void finish();

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (!input.hasNext()) {
                finishOnce();
                return false;
            }
            List<Row> group = new ArrayList<>(batchSize);
            while (group.size() < batchSize && input.hasNext()) {
                group.add(input.next());
            }
            current = process(group).iterator();
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("BatchingIterator: no more rows");
        }
        return current.next();
    }

    private synchronized void finishOnce() {
        if (!finished) {
            finished = true;
            finish();
        }
    }
}
