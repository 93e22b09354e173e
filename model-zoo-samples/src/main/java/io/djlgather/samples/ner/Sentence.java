package io.djlgather.samples.ner;

import java.util.List;

/**
 * One labelled sentence: tokens and their tags, of equal length.
 *
 * @param tokens the words, in order
 * @param tags one tag per token (BIO entity tags such as {@code B-PER}, or part-of-speech tags)
 */
public record Sentence(List<String> tokens, List<String> tags) {

    /**
     * Checks the lengths and copies the lists.
     *
     * @throws IllegalArgumentException if the lists differ in length or are empty
     */
    public Sentence {
        if (tokens.size() != tags.size()) {
            throw new IllegalArgumentException(
                    "Sentence: tags length differs from tokens; expected "
                            + tokens.size()
                            + ", got "
                            + tags.size());
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException(
                    "Sentence: tokens is empty; expected at least 1 token, got 0");
        }
        tokens = List.copyOf(tokens);
        tags = List.copyOf(tags);
    }

    /** Returns the number of tokens. */
    public int size() {
        return tokens.size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(tokens.get(i));
            if (!"O".equals(tags.get(i))) {
                sb.append('/').append(tags.get(i));
            }
        }
        return sb.toString();
    }
}
