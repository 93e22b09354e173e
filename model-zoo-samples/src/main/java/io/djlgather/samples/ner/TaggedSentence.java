package io.djlgather.samples.ner;

import java.util.List;

/**
 * A tagger's output for one sentence.
 *
 * @param tokens the words
 * @param tags the Viterbi tags, one per word
 * @param confidence per word, the softmax probability of its tag under the emission scores
 * @param score the Viterbi path score (emissions plus transitions)
 */
public record TaggedSentence(List<String> tokens, List<String> tags, float[] confidence, float score) {

    /** Returns the entities as {@code [PER Alma Okafor]} groups around plain words. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        List<BioSpans.Span> spans = BioSpans.spans(tags);
        int next = 0;
        for (BioSpans.Span span : spans) {
            for (; next < span.start(); next++) {
                sb.append(tokens.get(next)).append(' ');
            }
            sb.append('[').append(span.type());
            for (; next < span.end(); next++) {
                sb.append(' ').append(tokens.get(next));
            }
            sb.append("] ");
        }
        for (; next < tokens.size(); next++) {
            sb.append(tokens.get(next)).append(' ');
        }
        return sb.toString().strip();
    }
}
