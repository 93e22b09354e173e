package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djlgather.samples.ner.BioSpans.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class BioSpansTest {

    @Test
    void spansFollowConlleval() {
        assertEquals(
                List.of(new Span("PER", 0, 2), new Span("LOC", 3, 4), new Span("LOC", 4, 5), new Span("ORG", 5, 6)),
                BioSpans.spans(List.of("B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG")));
        // IOB1: I- after O starts an entity; I- of another type starts a new one
        assertEquals(
                List.of(new Span("PER", 1, 2), new Span("LOC", 2, 3)),
                BioSpans.spans(List.of("O", "I-PER", "I-LOC")));
    }

    @Test
    void scoreCountsExactSpansOnly() {
        BioSpans.Score s = new BioSpans.Score();
        s.add(List.of("B-PER", "I-PER", "O", "B-LOC"), List.of("B-PER", "O", "O", "B-LOC"));
        // gold {PER 0-2, LOC 3-4}, predicted {PER 0-1, LOC 3-4}: 1 correct of 2 and 2
        assertEquals(0.5, s.precision(), 1e-12);
        assertEquals(0.5, s.recall(), 1e-12);
        assertEquals(0.5, s.f1(), 1e-12);
        assertEquals(0.75, s.tokenAccuracy(), 1e-12);
    }
}
