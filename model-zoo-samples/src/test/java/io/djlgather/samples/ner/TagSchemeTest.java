package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.djlgather.ext.nlp.CrfBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tag scheme rules and conversions: worked examples, round trips over random span sets
 * (spans -&gt; scheme -&gt; spans, and scheme A -&gt; B -&gt; A), and agreement of each scheme's
 * rules with the CRF constraints the tagger trains under, over every sequence up to length 4.
 */
class TagSchemeTest {

    private static List<String> tags(String text) {
        return List.of(text.split(" "));
    }

    @Test
    void workedExampleInEveryScheme() {
        // "Empire State Building" (location), then "ESB" (location) right after it, then O, then "Bob" (person)
        List<BioSpans.Span> spans = List.of(
                new BioSpans.Span("LOC", 0, 3), new BioSpans.Span("LOC", 3, 4), new BioSpans.Span("PER", 5, 6));
        assertEquals(tags("I-LOC I-LOC I-LOC B-LOC O I-PER"), TagScheme.IOB1.encode(spans, 6));
        assertEquals(tags("B-LOC I-LOC I-LOC B-LOC O B-PER"), TagScheme.BIO.encode(spans, 6));
        assertEquals(tags("B-LOC I-LOC E-LOC S-LOC O S-PER"), TagScheme.BIOES.encode(spans, 6));
        for (TagScheme scheme : TagScheme.values()) {
            assertEquals(spans, scheme.spans(scheme.encode(spans, 6)), scheme.name());
        }
        // BILOU letters read as BIOES
        assertEquals(spans, TagScheme.BIOES.spans(tags("B-LOC I-LOC L-LOC U-LOC O U-PER")));
    }

    @Test
    void violationsNameTheTransition() {
        assertEquals(new TagScheme.Violation(1, "O", "I-PER"), TagScheme.BIO.firstViolation(tags("O I-PER")));
        assertEquals(new TagScheme.Violation(0, "<start>", "I-PER"), TagScheme.BIO.firstViolation(tags("I-PER I-PER")));
        assertEquals(new TagScheme.Violation(1, "O", "B-PER"), TagScheme.IOB1.firstViolation(tags("O B-PER")));
        assertNull(TagScheme.IOB1.firstViolation(tags("I-PER B-PER O I-LOC")));
        assertEquals(new TagScheme.Violation(2, "B-PER", "<end>"), TagScheme.BIOES.firstViolation(tags("O B-PER")));
        assertEquals(new TagScheme.Violation(1, "B-PER", "E-LOC"), TagScheme.BIOES.firstViolation(tags("B-PER E-LOC")));
        assertEquals(new TagScheme.Violation(1, "O", "S-PER"), TagScheme.BIO.firstViolation(tags("O S-PER")));
        assertEquals("O -> I-PER", TagScheme.BIO.firstViolation(tags("O I-PER")).transition());
    }

    /** Random non-overlapping spans over a sentence of the given length. */
    private static List<BioSpans.Span> randomSpans(Random random, int length) {
        List<BioSpans.Span> spans = new ArrayList<>();
        String[] types = {"PER", "LOC", "creative-work"};
        int i = 0;
        while (i < length) {
            if (random.nextInt(3) == 0) {
                i++;
                continue;
            }
            int end = Math.min(length, i + 1 + random.nextInt(3));
            spans.add(new BioSpans.Span(types[random.nextInt(types.length)], i, end));
            i = end;
        }
        return spans;
    }

    @Test
    void roundTripsOverRandomSpans() {
        Random random = new Random(12);
        for (int round = 0; round < 2_000; round++) {
            int length = 1 + random.nextInt(10);
            List<BioSpans.Span> spans = randomSpans(random, length);
            for (TagScheme a : TagScheme.values()) {
                List<String> encoded = a.encode(spans, length);
                assertNull(a.firstViolation(encoded), a + " " + encoded);
                assertEquals(spans, a.spans(encoded), a + " " + encoded);
                for (TagScheme b : TagScheme.values()) {
                    List<String> there = a.convert(encoded, b);
                    assertNull(b.firstViolation(there), a + " -> " + b + ": " + there);
                    assertEquals(encoded, b.convert(there, a), a + " -> " + b + " -> " + a + ": " + encoded);
                }
            }
        }
    }

    private static List<List<String>> sequences(List<String> tags, int maxLength) {
        List<List<String>> out = new ArrayList<>();
        for (int n = 1; n <= maxLength; n++) {
            int total = (int) Math.pow(tags.size(), n);
            for (int p = 0; p < total; p++) {
                List<String> seq = new ArrayList<>();
                int rest = p;
                for (int i = 0; i < n; i++) {
                    seq.add(tags.get(rest % tags.size()));
                    rest /= tags.size();
                }
                out.add(seq);
            }
        }
        return out;
    }

    private static boolean allowed(List<String> tags, List<String> seq, boolean[][] tr, boolean[] st, boolean[] en) {
        int previous = tags.indexOf(seq.get(0));
        boolean ok = st[previous];
        for (int i = 1; i < seq.size(); i++) {
            int next = tags.indexOf(seq.get(i));
            ok &= tr[previous][next];
            previous = next;
        }
        return ok && en[previous];
    }

    @Test
    void schemeRulesAreTheCrfConstraints() {
        List<String> bio = List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC");
        boolean[] all = new boolean[bio.size()];
        java.util.Arrays.fill(all, true);
        for (List<String> seq : sequences(bio, 4)) {
            assertEquals(TagScheme.BIO.firstViolation(seq) == null,
                    allowed(bio, seq, CrfBlock.bioConstraints(bio), CrfBlock.bioStartConstraints(bio), all), seq.toString());
        }
        List<String> bioes = List.of("O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "E-LOC", "S-LOC");
        for (List<String> seq : sequences(bioes, 4)) {
            assertEquals(TagScheme.BIOES.firstViolation(seq) == null,
                    allowed(bioes, seq, CrfBlock.bioesConstraints(bioes), CrfBlock.bioesStartConstraints(bioes),
                            CrfBlock.bioesEndConstraints(bioes)), seq.toString());
        }
        assertEquals(TagScheme.BIOES, TagScheme.of(bioes));
        assertEquals(TagScheme.BIO, TagScheme.of(bio));
    }

    @Test
    void scoresReadBioesTagsAsTheirSpans() {
        List<String> gold = tags("B-LOC I-LOC E-LOC S-LOC O S-PER");
        assertEquals(List.of(new BioSpans.Span("LOC", 0, 3), new BioSpans.Span("LOC", 3, 4), new BioSpans.Span("PER", 5, 6)),
                BioSpans.spans(gold));
        BioSpans.Score score = new BioSpans.Score();
        score.add(gold, tags("B-LOC I-LOC E-LOC B-LOC O S-PER")); // second LOC left open: read as [3, 4) too
        score.add(tags("S-PER O"), tags("O S-PER"));
        assertEquals(3.0 / 4, score.recall(), 1e-12);
        assertEquals(3.0 / 4, score.precision(), 1e-12);
    }
}
