package io.djlgather.samples.ner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simplest tagger worth beating: each word gets the tag it carried most often in the
 * training data (digits folded as in {@link Vocab}), and a word never seen in training gets
 * {@code O}. Its dev entity F1 says how much of the score remembering words alone explains.
 */
public final class MajorityTagBaseline {

    private final Map<String, String> best = new HashMap<>();

    private MajorityTagBaseline() {}

    /**
     * Counts the tags of every word in the training sentences.
     *
     * @param train the training sentences
     * @return the baseline tagger
     */
    public static MajorityTagBaseline fit(List<Sentence> train) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (Sentence s : train) {
            for (int i = 0; i < s.size(); i++) {
                counts.computeIfAbsent(Vocab.normalize(s.tokens().get(i)), k -> new HashMap<>())
                        .merge(s.tags().get(i), 1, Integer::sum);
            }
        }
        MajorityTagBaseline baseline = new MajorityTagBaseline();
        counts.forEach((word, tags) -> {
            String top = null;
            int topCount = 0;
            // ties go to the alphabetically first tag, so the result does not depend on hashing
            for (Map.Entry<String, Integer> e : tags.entrySet()) {
                if (e.getValue() > topCount || (e.getValue() == topCount && e.getKey().compareTo(top) < 0)) {
                    top = e.getKey();
                    topCount = e.getValue();
                }
            }
            baseline.best.put(word, top);
        });
        return baseline;
    }

    /**
     * Tags a sentence.
     *
     * @param tokens the words
     * @return one tag per word
     */
    public List<String> tag(List<String> tokens) {
        return tokens.stream().map(t -> best.getOrDefault(Vocab.normalize(t), "O")).toList();
    }

    /**
     * Tags gold sentences and scores the result against their tags.
     *
     * @param sentences the gold sentences
     * @return the scores
     */
    public BioSpans.Score score(List<Sentence> sentences) {
        BioSpans.Score score = new BioSpans.Score();
        for (Sentence s : sentences) {
            score.add(s.tags(), tag(s.tokens()));
        }
        return score;
    }
}
