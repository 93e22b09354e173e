package io.djlgather.benchmarks;

/** Target 5 (selectHeads): written once the cv branch lands. */
public class HeadsBench {
    static final long B = 8;
    static final long H = 12;
    static final long T = 128;
    static final long D = 64;
}
