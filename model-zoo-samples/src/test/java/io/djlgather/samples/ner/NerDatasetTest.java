package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Record;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a training record holds: word, shape and character ids as {@link Vocab} gives them, and
 * the lower-cased reading that case dropout substitutes (shapes and characters of the
 * lower-cased tokens; the same word ids under a lower-cased vocabulary).
 */
class NerDatasetTest {

    private static final List<Sentence> TRAIN = List.of(
            new Sentence(List.of("Bob", "bobs", "Bob", "PARIS"), List.of("B-PER", "O", "B-PER", "B-LOC")));

    @Test
    void caseDropoutReadsSentencesLowerCased() {
        Vocab vocab = Vocab.build(TRAIN, 1, true);
        long[] upperChars = new long[Vocab.MAX_WORD_CHARS];
        long[] lowerChars = new long[Vocab.MAX_WORD_CHARS];
        vocab.charIds("Bob", upperChars, 0);
        vocab.charIds("bob", lowerChars, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NerDataset plain = NerDataset.builder().setSentences(TRAIN, vocab).setSampling(1, false).build();
            Record r = plain.get(manager, 0);
            assertArrayEquals(new long[] {2, 1, 2, 3}, r.getData().get(1).toLongArray(), "shapes as written");
            assertArrayEquals(new long[] {upperChars[0], upperChars[1], upperChars[2]},
                    java.util.Arrays.copyOf(r.getData().get(2).get(0).toLongArray(), 3));
            long[] words = r.getData().get(0).toLongArray();

            NerDataset lowered = NerDataset.builder().setSentences(TRAIN, vocab).setSampling(1, false)
                    .optWordDropout(0f, 7).optCaseDropout(0.5f).build();
            int lowerReads = 0;
            for (int i = 0; i < 40; i++) {
                Record x = lowered.get(manager, 0);
                long[] shapes = x.getData().get(1).toLongArray();
                assertArrayEquals(words, x.getData().get(0).toLongArray(), "a lower-cased vocabulary sees the same words");
                assertEquals(4, x.getLabels().get(0).size());
                if (shapes[0] == 1) {
                    lowerReads++;
                    assertArrayEquals(new long[] {1, 1, 1, 1}, shapes);
                    assertArrayEquals(new long[] {lowerChars[0], lowerChars[1], lowerChars[2]},
                            java.util.Arrays.copyOf(x.getData().get(2).get(0).toLongArray(), 3));
                } else {
                    assertArrayEquals(new long[] {2, 1, 2, 3}, shapes);
                }
            }
            // about half of the reads, seeded: neither never nor always
            assertTrue(lowerReads > 8 && lowerReads < 32, lowerReads + " lower-cased reads of 40");
            assertTrue(upperChars[0] != lowerChars[0], "B and b are different characters");
        }
    }

    /**
     * Entity word dropout hides words inside gold entities at the larger of its rate and the
     * plain one, and leaves words tagged O to the plain rate (0 here): over 400 seeded reads, no
     * O word is ever hidden, and about half of the entity words are (shapes, characters and tags
     * never change); an entity rate below the plain one does not lower it.
     */
    @Test
    void entityWordDropoutHidesOnlyEntityWords() {
        Vocab vocab = Vocab.build(TRAIN, 1, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            NerDataset plain = NerDataset.builder().setSentences(TRAIN, vocab).setSampling(1, false).build();
            Record clean = plain.get(manager, 0);
            long[] words = clean.getData().get(0).toLongArray();
            long[] shapes = clean.getData().get(1).toLongArray();
            long[] chars = clean.getData().get(2).toLongArray();
            long[] tags = clean.getLabels().get(0).toLongArray();
            long outside = vocab.tagId("O");
            NerDataset dropped = NerDataset.builder().setSentences(TRAIN, vocab).setSampling(1, false)
                    .optWordDropout(0f, 11).optEntityWordDropout(0.5f).build();
            int hidden = 0;
            int entityReads = 0;
            for (int i = 0; i < 400; i++) {
                Record r = dropped.get(manager, 0);
                long[] w = r.getData().get(0).toLongArray();
                assertArrayEquals(shapes, r.getData().get(1).toLongArray());
                assertArrayEquals(chars, r.getData().get(2).toLongArray());
                assertArrayEquals(tags, r.getLabels().get(0).toLongArray());
                for (int t = 0; t < w.length; t++) {
                    if (tags[t] == outside) {
                        assertEquals(words[t], w[t], "an O word is never hidden (read " + i + ", token " + t + ")");
                    } else {
                        entityReads++;
                        if (w[t] == Vocab.UNK) {
                            hidden++;
                        } else {
                            assertEquals(words[t], w[t]);
                        }
                    }
                }
            }
            assertEquals(1200, entityReads);
            // 1,200 seeded draws at 0.5: 600 expected, sd 17
            assertTrue(hidden > 500 && hidden < 700, hidden + " of 1200 entity words hidden");
            assertArrayEquals(words, plain.get(manager, 0).getData().get(0).toLongArray(), "the encoded sentence is unchanged");
            // a smaller entity rate never lowers the plain rate inside entities: with word dropout
            // 0.5 and entity rate 0.01, entity words are still hidden about half the time
            NerDataset floor = NerDataset.builder().setSentences(TRAIN, vocab).setSampling(1, false)
                    .optWordDropout(0.5f, 13).optEntityWordDropout(0.01f).build();
            int floorHidden = 0;
            for (int i = 0; i < 400; i++) {
                long[] w = floor.get(manager, 0).getData().get(0).toLongArray();
                for (int t = 0; t < w.length; t++) {
                    if (tags[t] != outside && w[t] == Vocab.UNK) {
                        floorHidden++;
                    }
                }
            }
            assertTrue(floorHidden > 500 && floorHidden < 700, floorHidden + " of 1200 entity words hidden at max(0.5, 0.01)");
        }
    }

    /**
     * The estimate against a hand count. Words as the vocabulary counts them (digits folded,
     * lower-cased): zed 1, met 1, ann 2, smith 3, and 2, bob 2, in 1, 0000 2. The 8 entity tokens
     * (Zed, Ann, Smith, Bob, Smith, BOB, 1999, 2001) have counts 1, 2, 3, 2, 3, 2, 2, 2. minCount
     * 2: unknown in training (count &lt; 2) 1 of 8, unknown as new text (count &lt;= 2) 6 of 8,
     * rate (6/8 - 1/8) / (1 - 1/8) = 5/7. minCount 1: 0 and 1 of 8, rate 1/8. minCount 3: 6 and
     * 8 of 8, rate 1, capped at 0.99. No entity, or every entity word unknown already: 0.
     */
    @Test
    void entityWordDropoutEstimateMatchesAHandCount() {
        List<Sentence> train = List.of(
                new Sentence(List.of("Zed", "met", "Ann", "Smith"), List.of("B-PER", "O", "B-PER", "I-PER")),
                new Sentence(List.of("ann", "and", "Bob", "smith", "Smith"), List.of("O", "O", "B-PER", "O", "B-PER")),
                new Sentence(List.of("BOB", "in", "1999", "and", "2001"), List.of("B-PER", "O", "B-DATE", "O", "B-DATE")));
        assertEquals(5 / 7f, NerDataset.estimateEntityWordDropout(train, 2, true), 1e-6f);
        assertEquals(1 / 8f, NerDataset.estimateEntityWordDropout(train, 1, true), 1e-6f);
        assertEquals(0.99f, NerDataset.estimateEntityWordDropout(train, 3, true), 1e-6f);
        // case kept: Zed 1, Ann 1, Smith 2, Bob 1, Smith 2, BOB 1, 0000 2, 0000 2; minCount 2: 4 of 8 and 8 of 8, rate 1 -> 0.99
        assertEquals(0.99f, NerDataset.estimateEntityWordDropout(train, 2, false), 1e-6f);
        List<Sentence> none = List.of(new Sentence(List.of("a", "b"), List.of("O", "O")));
        assertEquals(0f, NerDataset.estimateEntityWordDropout(none, 2, true));
        List<Sentence> unique = List.of(new Sentence(List.of("Zed"), List.of("B-PER")));
        assertEquals(0f, NerDataset.estimateEntityWordDropout(unique, 2, true), "every entity word unknown already");
    }
}
