package io.djlgather.samples.ner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tagger's lookup tables: words to ids (digits folded to 0, id 0 padding, id 1 unknown),
 * tags to ids, and a word-shape feature that lets the tagger see capitalisation of words it has
 * never met.
 */
public final class Vocab {

    /** Id of padding positions. */
    public static final int PAD = 0;
    /** Id of words outside the vocabulary. */
    public static final int UNK = 1;
    /** Number of word-shape classes (see {@link #shape}). */
    public static final int SHAPES = 6;

    private final List<String> words;
    private final Map<String, Integer> wordIds = new HashMap<>();
    private final List<String> tags;
    private final Map<String, Integer> tagIds = new HashMap<>();

    private Vocab(List<String> words, List<String> tags) {
        this.words = List.copyOf(words);
        this.tags = List.copyOf(tags);
        for (int i = 0; i < words.size(); i++) {
            wordIds.put(words.get(i), i);
        }
        for (int i = 0; i < tags.size(); i++) {
            tagIds.put(tags.get(i), i);
        }
    }

    /**
     * Builds the tables from training sentences: every word seen at least {@code minCount}
     * times, and every tag (sorted, {@code O} first when present).
     *
     * @param sentences the training sentences
     * @param minCount the least count for a word to get its own id
     * @return the vocabulary
     */
    public static Vocab build(List<Sentence> sentences, int minCount) {
        Map<String, Integer> counts = new HashMap<>();
        TreeSet<String> tagSet = new TreeSet<>();
        for (Sentence s : sentences) {
            for (String t : s.tokens()) {
                counts.merge(normalize(t), 1, Integer::sum);
            }
            tagSet.addAll(s.tags());
        }
        List<String> words = new ArrayList<>(List.of("<pad>", "<unk>"));
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount)
                .map(Map.Entry::getKey)
                .sorted()
                .forEach(words::add);
        List<String> tags = new ArrayList<>();
        if (tagSet.remove("O")) {
            tags.add("O");
        }
        tags.addAll(tagSet);
        return new Vocab(words, tags);
    }

    /** Folds digits to 0 so that numbers share ids ("1994" and "2021" are both "0000"). */
    static String normalize(String token) {
        return token.replaceAll("[0-9]", "0");
    }

    /**
     * Returns the shape class of a token: 1 lower case, 2 capitalised, 3 all capitals, 4 has a
     * digit, 5 anything else (punctuation); 0 is padding.
     *
     * @param token the token
     * @return the shape class in [1, {@link #SHAPES})
     */
    public static int shape(String token) {
        if (token.chars().anyMatch(Character::isDigit)) {
            return 4;
        }
        if (!Character.isLetter(token.charAt(0))) {
            return 5;
        }
        if (Character.isUpperCase(token.charAt(0))) {
            boolean allCaps = token.length() > 1 && token.chars().filter(Character::isLetter)
                    .allMatch(Character::isUpperCase);
            return allCaps ? 3 : 2;
        }
        return 1;
    }

    /** Returns the id of a word, {@link #UNK} when unknown. */
    public int wordId(String token) {
        return wordIds.getOrDefault(normalize(token), UNK);
    }

    /**
     * Returns the id of a tag.
     *
     * @throws IllegalArgumentException if the tag was not in the training data
     */
    public int tagId(String tag) {
        Integer id = tagIds.get(tag);
        if (id == null) {
            throw new IllegalArgumentException(
                    "Vocab.tagId: tag is unknown; expected one of " + tags + ", got '" + tag + "'");
        }
        return id;
    }

    /** Returns the tag of an id. */
    public String tag(int id) {
        return tags.get(id);
    }

    /** Returns all tags, index = id. */
    public List<String> tags() {
        return tags;
    }

    /** Returns the number of word ids, padding and unknown included. */
    public int wordCount() {
        return words.size();
    }

    /** Returns the number of tags. */
    public int tagCount() {
        return tags.size();
    }

    /**
     * Writes the tables as {@code words.txt} and {@code tags.txt}.
     *
     * @param dir the folder
     * @throws IOException if writing fails
     */
    public void save(Path dir) throws IOException {
        Files.write(dir.resolve("words.txt"), words, StandardCharsets.UTF_8);
        Files.write(dir.resolve("tags.txt"), tags, StandardCharsets.UTF_8);
    }

    /**
     * Reads tables written by {@link #save}.
     *
     * @param dir the folder
     * @return the vocabulary
     * @throws IOException if reading fails
     */
    public static Vocab load(Path dir) throws IOException {
        return new Vocab(
                Files.readAllLines(dir.resolve("words.txt"), StandardCharsets.UTF_8),
                Files.readAllLines(dir.resolve("tags.txt"), StandardCharsets.UTF_8));
    }
}
