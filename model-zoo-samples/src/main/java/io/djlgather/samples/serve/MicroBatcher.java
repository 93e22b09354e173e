package io.djlgather.samples.serve;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A micro-batching front for a model: callers {@link #submit} single inputs from any thread;
 * worker threads, each with its own {@link Predictor} (predictors are not thread-safe), take
 * up to {@code maxBatch} queued inputs, waiting at most {@code maxDelay} after the first for
 * more to arrive, and run them through one {@link Predictor#batchPredict} call.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    private record Request<I, O>(I input, CompletableFuture<O> result) {}

    private final BlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final int maxBatch;
    private final long maxDelayNanos;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private volatile boolean running = true;

    /**
     * Starts the workers.
     *
     * @param model the model; each worker makes its own predictor
     * @param workers number of worker threads, at least 1
     * @param maxBatch most inputs per batch, at least 1
     * @param maxDelayMicros how long a worker waits for a batch to fill after its first input
     * @throws IllegalArgumentException if workers or maxBatch is below 1, or maxDelayMicros below 0
     */
    public MicroBatcher(ZooModel<I, O> model, int workers, int maxBatch, long maxDelayMicros) {
        if (workers < 1 || maxBatch < 1 || maxDelayMicros < 0) {
            throw new IllegalArgumentException(
                    "MicroBatcher: workers and maxBatch must be >= 1 and maxDelayMicros >= 0; got "
                            + workers + ", " + maxBatch + ", " + maxDelayMicros);
        }
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelayMicros * 1000;
        for (int i = 0; i < workers; i++) {
            Predictor<I, O> predictor = model.newPredictor();
            Thread t = new Thread(() -> work(predictor), "micro-batcher-" + i);
            t.setDaemon(true);
            this.workers.add(t);
            t.start();
        }
    }

    /**
     * Queues one input.
     *
     * @param input the input
     * @return its result, completed by a worker (exceptionally if its batch failed)
     * @throws IllegalStateException if the batcher is closed
     */
    public CompletableFuture<O> submit(I input) {
        if (!running) {
            throw new IllegalStateException("MicroBatcher: closed");
        }
        CompletableFuture<O> result = new CompletableFuture<>();
        queue.add(new Request<>(input, result));
        return result;
    }

    private void work(Predictor<I, O> predictor) {
        try (predictor) {
            List<Request<I, O>> batch = new ArrayList<>(maxBatch);
            while (running || !queue.isEmpty()) {
                Request<I, O> first = queue.poll(20, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Request<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(predictor, batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Predictor<I, O> predictor, List<Request<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Request<I, O> r : batch) {
            inputs.add(r.input());
        }
        try {
            List<O> outputs = predictor.batchPredict(inputs);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
            }
        } catch (Exception | Error e) {
            for (Request<I, O> r : batch) {
                r.result().completeExceptionally(e);
            }
        }
        batches.incrementAndGet();
        items.addAndGet(batch.size());
    }

    /** Returns the mean batch size so far. */
    public double meanBatchSize() {
        long b = batches.get();
        return b == 0 ? 0 : (double) items.get() / b;
    }

    /** Returns the number of batches run so far. */
    public long batchCount() {
        return batches.get();
    }

    /** Finishes queued requests, stops the workers and closes their predictors. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : workers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the workers stop on their own: running is false
        }
    }
}
