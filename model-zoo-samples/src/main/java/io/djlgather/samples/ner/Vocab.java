package io.djlgather.samples.ner;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The tagger's lookup tables: words to ids (digits folded to 0, optionally lower-cased; id 0
 * padding, id 1 unknown), characters to ids (for the character CNN; id 0 padding, id 1 unknown),
 * tags to ids, and a word-shape feature that lets the tagger see capitalisation of words it has
 * never met.
 *
 * <p>Saved as {@code words.txt}, {@code tags.txt}, {@code chars.txt} (one Unicode code point per
 * line, as a decimal number; ids 0 and 1 are written as 0 and 1) and {@code vocab.properties}
 * ({@code lowercase}). A folder written before the character tables existed (no {@code
 * chars.txt}) loads with no characters: every character is unknown, and the tagger it belongs
 * to has no character CNN.
 */
public final class Vocab {

    /** Id of padding positions. */
    public static final int PAD = 0;
    /** Id of words outside the vocabulary. */
    public static final int UNK = 1;
    /** Number of word-shape classes (see {@link #shape}). */
    public static final int SHAPES = 6;
    /** Characters of a word the character CNN reads: the first 20 (longer words are cut). */
    public static final int MAX_WORD_CHARS = 20;

    private static final String CHARS_FILE = "chars.txt";
    private static final String PROPERTIES_FILE = "vocab.properties";

    private final List<String> words;
    private final Map<String, Integer> wordIds = new HashMap<>();
    private final List<String> tags;
    private final Map<String, Integer> tagIds = new HashMap<>();
    /** Code points, index = id; 0 and 1 stand for padding and unknown. */
    private final List<Integer> chars;
    private final Map<Integer, Integer> charIds = new HashMap<>();
    private final boolean lowercase;

    private Vocab(List<String> words, List<String> tags, List<Integer> chars, boolean lowercase) {
        this.words = List.copyOf(words);
        this.tags = List.copyOf(tags);
        this.chars = List.copyOf(chars);
        this.lowercase = lowercase;
        for (int i = 0; i < words.size(); i++) {
            wordIds.put(words.get(i), i);
        }
        for (int i = 2; i < chars.size(); i++) {
            charIds.put(chars.get(i), i);
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
        return build(sentences, minCount, false);
    }

    /**
     * Builds the tables from training sentences: every word seen at least {@code minCount}
     * times (after digit folding and, if asked, lower-casing), every character seen at least
     * twice, and every tag (sorted, {@code O} first when present).
     *
     * @param sentences the training sentences
     * @param minCount the least count for a word to get its own id
     * @param lowercase whether words are lower-cased before lookup (capitalisation then reaches
     *     the tagger through the word shape and the characters only)
     * @return the vocabulary
     */
    public static Vocab build(List<Sentence> sentences, int minCount, boolean lowercase) {
        Map<String, Integer> counts = new HashMap<>();
        Map<Integer, Integer> charCounts = new HashMap<>();
        TreeSet<String> tagSet = new TreeSet<>();
        for (Sentence s : sentences) {
            for (String t : s.tokens()) {
                counts.merge(normalize(t, lowercase), 1, Integer::sum);
                t.codePoints().forEach(c -> charCounts.merge(c, 1, Integer::sum));
            }
            tagSet.addAll(s.tags());
        }
        List<Integer> chars = new ArrayList<>(List.of(0, 1));
        charCounts.entrySet().stream()
                .filter(e -> e.getValue() >= 2)
                .map(Map.Entry::getKey)
                .sorted()
                .forEach(chars::add);
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
        return new Vocab(words, tags, chars, lowercase);
    }

    /** Folds digits to 0 so that numbers share ids ("1994" and "2021" are both "0000"). */
    static String normalize(String token) {
        return token.replaceAll("[0-9]", "0");
    }

    static String normalize(String token, boolean lowercase) {
        String folded = normalize(token);
        return lowercase ? folded.toLowerCase(Locale.ROOT) : folded;
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
        return wordIds.getOrDefault(normalize(token, lowercase), UNK);
    }

    /**
     * Writes the character ids of a token's first {@link #MAX_WORD_CHARS} characters into
     * {@code out[offset..]} ({@link #UNK} for a character not in the table); the rest of the
     * row is left as it is (zero: padding).
     *
     * @param token the token
     * @param out the row-major id array
     * @param offset where the token's row starts
     * @return the number of characters written
     */
    public int charIds(String token, long[] out, int offset) {
        int n = 0;
        for (int i = 0; i < token.length() && n < MAX_WORD_CHARS; n++) {
            int c = token.codePointAt(i);
            out[offset + n] = charIds.getOrDefault(c, UNK);
            i += Character.charCount(c);
        }
        return n;
    }

    /** Returns the number of characters a token's row needs, at most {@link #MAX_WORD_CHARS}. */
    public static int charLength(String token) {
        return Math.min(MAX_WORD_CHARS, token.codePointCount(0, token.length()));
    }

    /** Returns the number of character ids, padding and unknown included. */
    public int charCount() {
        return chars.size();
    }

    /** Returns whether words are lower-cased before lookup. */
    public boolean lowercase() {
        return lowercase;
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
        Files.write(dir.resolve(CHARS_FILE), chars.stream().map(String::valueOf).toList(), StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.setProperty("lowercase", Boolean.toString(lowercase));
        try (Writer w = Files.newBufferedWriter(dir.resolve(PROPERTIES_FILE), StandardCharsets.UTF_8)) {
            p.store(w, "word lookup");
        }
    }

    /**
     * Reads tables written by {@link #save}.
     *
     * @param dir the folder
     * @return the vocabulary
     * @throws IOException if reading fails
     */
    public static Vocab load(Path dir) throws IOException {
        List<Integer> chars = new ArrayList<>(List.of(0, 1));
        Path charFile = dir.resolve(CHARS_FILE);
        if (Files.isRegularFile(charFile)) {
            chars.clear();
            List<String> lines = Files.readAllLines(charFile, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                try {
                    chars.add(Integer.parseInt(lines.get(i).strip()));
                } catch (NumberFormatException e) {
                    throw new IOException(charFile + ":" + (i + 1) + ": expected a code point (a decimal number), got '"
                            + lines.get(i) + "'", e);
                }
            }
        }
        boolean lowercase = false;
        Path propertyFile = dir.resolve(PROPERTIES_FILE);
        if (Files.isRegularFile(propertyFile)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(propertyFile, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            lowercase = Boolean.parseBoolean(p.getProperty("lowercase", "false"));
        }
        return new Vocab(
                Files.readAllLines(dir.resolve("words.txt"), StandardCharsets.UTF_8),
                Files.readAllLines(dir.resolve("tags.txt"), StandardCharsets.UTF_8),
                chars,
                lowercase);
    }
}
