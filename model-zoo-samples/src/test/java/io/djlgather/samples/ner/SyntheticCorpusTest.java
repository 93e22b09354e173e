package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticCorpusTest {

    private static final SyntheticCorpus.Splits SPLITS = SyntheticCorpus.generate(1200, 300, 42);

    @Test
    void sameSeedSameCorpusOtherSeedOther() {
        assertEquals(SPLITS, SyntheticCorpus.generate(1200, 300, 42));
        assertNotEquals(SPLITS.train(), SyntheticCorpus.generate(1200, 300, 43).train());
        assertEquals(1200, SPLITS.train().size());
        assertEquals(300, SPLITS.dev().size());
        assertThrows(IllegalArgumentException.class, () -> SyntheticCorpus.generate(0, 1, 1));
    }

    @Test
    void tagsAreWellFormedBio() {
        for (List<Sentence> split : List.of(SPLITS.train(), SPLITS.dev())) {
            for (Sentence s : split) {
                for (int i = 0; i < s.size(); i++) {
                    String tag = s.tags().get(i);
                    if (tag.startsWith("I-")) {
                        String before = i == 0 ? "O" : s.tags().get(i - 1);
                        assertEquals(tag.substring(2), before.substring(Math.min(2, before.length())), s.toString());
                    }
                }
            }
        }
    }

    @Test
    void wordsAreAmbiguousAndDevHasUnseenEntityWords() {
        Map<String, Set<String>> types = new HashMap<>();
        Set<String> trainWords = new HashSet<>();
        for (Sentence s : SPLITS.train()) {
            for (int i = 0; i < s.size(); i++) {
                String tag = s.tags().get(i);
                types.computeIfAbsent(s.tokens().get(i), k -> new HashSet<>()).add(tag.equals("O") ? "O" : tag.substring(2));
                trainWords.add(s.tokens().get(i));
            }
        }
        long ambiguous = types.values().stream().filter(t -> t.size() > 1).count();
        assertTrue(ambiguous >= 20, "words with more than one type in train: " + ambiguous);
        assertTrue(types.get("May").containsAll(Set.of("PER", "DATE")) || types.get("June").containsAll(Set.of("PER", "DATE")),
                "a first name is also a month");
        long entityTokens = 0;
        long unseen = 0;
        for (Sentence s : SPLITS.dev()) {
            for (int i = 0; i < s.size(); i++) {
                if (!s.tags().get(i).equals("O")) {
                    entityTokens++;
                    unseen += trainWords.contains(s.tokens().get(i)) ? 0 : 1;
                }
            }
        }
        double share = (double) unseen / entityTokens;
        assertTrue(share > 0.15 && share < 0.6, "share of dev entity tokens unseen in train: " + share);
    }

    @Test
    void baselineTagsEachWordWithItsMostFrequentTrainTag() {
        List<Sentence> train = List.of(
                new Sentence(List.of("Holm", "visited", "Holm"), List.of("B-PER", "O", "B-LOC")),
                new Sentence(List.of("Holm", "left", "in", "1999"), List.of("B-LOC", "O", "O", "B-DATE")));
        MajorityTagBaseline baseline = MajorityTagBaseline.fit(train);
        // digits are folded, so 2004 looks like 1999; unseen words are O
        assertEquals(List.of("B-LOC", "O", "O", "B-DATE"), baseline.tag(List.of("Holm", "Crane", "in", "2004")));
        // a tie goes to the alphabetically first tag
        MajorityTagBaseline tie = MajorityTagBaseline.fit(List.of(train.get(0)));
        assertEquals(List.of("B-LOC"), tie.tag(List.of("Holm")));
        BioSpans.Score score = baseline.score(train);
        // the first Holm is PER in gold and LOC by the baseline: 6 of 7 tokens, 3 of 4 entities
        assertEquals(6.0 / 7.0, score.tokenAccuracy(), 1e-12);
        assertEquals(0.75, score.f1(), 1e-12);
    }
}
