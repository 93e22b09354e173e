package io.djlgather.samples.ner;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads CoNLL-style files: one token per line, whitespace-separated columns (tab-separated when
 * the line holds a tab, as in CoNLL-U, whose words may hold spaces), a blank line between
 * sentences. By default the token is the first column and its tag the last: the layout of
 * CoNLL-2003 ({@code EU NNP B-NP B-ORG}), of WNUT 2017 ({@code Empire\tB-location}) and of
 * two-column word/UPOS files ({@code dogs NOUN}). {@link Columns} picks other columns, 1-based
 * as CoNLL-U numbers them: CoNLL-U's word is column 2 (FORM), its UPOS column 4.
 *
 * <p>Skipped: {@code -DOCSTART-} lines; lines starting with {@code #} before a sentence's first
 * token (CoNLL-U's {@code # sent_id}/{@code # text} comments; a {@code #} token inside a sentence
 * is kept); and, when the token is not in column 1 (so column 1 is CoNLL-U's ID), multi-word
 * token lines (ID a range such as {@code 3-4}) and empty nodes (ID a decimal such as {@code
 * 3.1}), which are not words of the sentence's tokenization. Every token line of a file must
 * have the column count of the file's first token line.
 *
 * <p>A malformed file gives a {@link ConllFormatException} whose message names the file and the
 * line: {@code "data/train.txt:17: ..."}. {@link #convert} checks and converts entity tag
 * schemes ({@link TagScheme}) with the same kind of message.
 */
public final class ConllReader {

    private static final Pattern MULTI_WORD = Pattern.compile("[0-9]+-[0-9]+");
    private static final Pattern EMPTY_NODE = Pattern.compile("[0-9]+\\.[0-9]+");

    private ConllReader() {}

    /**
     * Which columns hold the token and the tag, 1-based (CoNLL-U's numbering).
     *
     * @param token the token's column, at least 1
     * @param tag the tag's column, at least 1, or 0 for the last column
     */
    public record Columns(int token, int tag) {

        /** Token in column 1, tag in the last column. */
        public static final Columns DEFAULT = new Columns(1, 0);

        /**
         * Checks the columns.
         *
         * @throws IllegalArgumentException if a column is out of range or both are the same
         */
        public Columns {
            if (token < 1 || tag < 0) {
                throw new IllegalArgumentException(String.format(
                        "ConllReader.Columns: a column is out of range; expected token >= 1 and tag >= 1 (or 0 for the"
                                + " last column), got token %d, tag %d", token, tag));
            }
            if (token == tag) {
                throw new IllegalArgumentException(
                        "ConllReader.Columns: token and tag are the same column; expected two columns, got " + token + " twice");
            }
        }
    }

    /**
     * The sentences of one file with where they came from.
     *
     * @param file the file
     * @param sentences the sentences in file order
     * @param lines per sentence, the 1-based line of each token
     */
    public record Document(Path file, List<Sentence> sentences, List<int[]> lines) {

        /**
         * Returns the document with other sentences of the same sizes (converted tags).
         *
         * @param converted the new sentences, one per old one
         * @return the new document
         */
        Document with(List<Sentence> converted) {
            return new Document(file, converted, lines);
        }
    }

    /**
     * Reads every sentence of a file, token in column 1 and tag in the last column.
     *
     * @param file a CoNLL-style UTF-8 text file
     * @return the sentences in file order, at least one
     * @throws ConllFormatException if a line has fewer than 2 columns, a different column count
     *     than the first token line, or the file holds no sentence
     * @throws IOException if the file cannot be read
     */
    public static List<Sentence> read(Path file) throws IOException {
        return read(file, Columns.DEFAULT).sentences();
    }

    /**
     * Reads every sentence of a file from the given columns.
     *
     * @param file a CoNLL-style or CoNLL-U UTF-8 text file
     * @param columns where the token and the tag are
     * @return the sentences in file order (at least one) and their lines
     * @throws ConllFormatException if a line has fewer than 2 columns, too few for the token or
     *     tag column, a different column count than the first token line, or the file holds no
     *     sentence
     * @throws IOException if the file cannot be read
     */
    public static Document read(Path file, Columns columns) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file, in, columns);
        }
    }

    /**
     * Reads a CoNLL file that ships as a class-path resource (such as the committed WNUT 2017
     * splits, {@link Wnut17}).
     *
     * @param resource the resource's absolute name, e.g. {@code /io/djlgather/samples/ner/wnut17/dev.conll}
     * @param columns where the token and the tag are
     * @return the sentences; messages name the resource as the file
     * @throws IOException if the resource is missing or malformed
     */
    public static Document readResource(String resource, Columns columns) throws IOException {
        java.io.InputStream stream = ConllReader.class.getResourceAsStream(resource);
        if (stream == null) {
            throw new java.io.FileNotFoundException("ConllReader: resource " + resource + " is not on the class path");
        }
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8))) {
            return read(Path.of(resource.startsWith("/") ? resource.substring(1) : resource), in, columns);
        }
    }

    private static Document read(Path file, BufferedReader in, Columns columns) throws IOException {
        List<Sentence> sentences = new ArrayList<>();
        List<int[]> sentenceLines = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        boolean idColumn = columns.token() != 1;
        int count = -1;
        int lineNo = 0;
        {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("-DOCSTART-")) {
                    flush(tokens, tags, lines, sentences, sentenceLines);
                    continue;
                }
                if (trimmed.startsWith("#") && tokens.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.indexOf('\t') >= 0 ? trimmed.split("\t") : trimmed.split("\\s+");
                if (parts.length < 2) {
                    throw new ConllFormatException(
                            file,
                            lineNo,
                            "expected at least 2 whitespace-separated columns (token ... tag), got "
                                    + parts.length
                                    + ": '"
                                    + trimmed
                                    + "'");
                }
                if (idColumn && (MULTI_WORD.matcher(parts[0]).matches() || EMPTY_NODE.matcher(parts[0]).matches())) {
                    continue; // CoNLL-U multi-word token or empty node: not a word of the tokenization
                }
                if (count < 0) {
                    count = parts.length;
                } else if (parts.length != count) {
                    throw new ConllFormatException(
                            file,
                            lineNo,
                            "expected "
                                    + count
                                    + " columns like the file's first token line, got "
                                    + parts.length
                                    + ": '"
                                    + trimmed
                                    + "'");
                }
                int needed = Math.max(columns.token(), columns.tag());
                if (parts.length < needed) {
                    throw new ConllFormatException(
                            file,
                            lineNo,
                            String.format(
                                    "expected at least %d columns for token column %d and tag column %s (1-based), got %d: '%s'",
                                    needed, columns.token(), columns.tag() == 0 ? "last" : columns.tag(), parts.length, trimmed));
                }
                String token = parts[columns.token() - 1].strip();
                String tag = parts[columns.tag() == 0 ? parts.length - 1 : columns.tag() - 1].strip();
                if (token.isEmpty() || tag.isEmpty()) {
                    throw new ConllFormatException(
                            file, lineNo, "expected a token and a tag, got an empty " + (token.isEmpty() ? "token" : "tag") + ": '" + trimmed + "'");
                }
                tokens.add(token);
                tags.add(tag);
                lines.add(lineNo);
            }
        }
        flush(tokens, tags, lines, sentences, sentenceLines);
        if (sentences.isEmpty()) {
            throw new ConllFormatException(
                    file, lineNo, "expected at least one sentence, got none (empty file?)");
        }
        return new Document(file, List.copyOf(sentences), List.copyOf(sentenceLines));
    }

    private static void flush(
            List<String> tokens, List<String> tags, List<Integer> lines, List<Sentence> out, List<int[]> outLines) {
        if (!tokens.isEmpty()) {
            out.add(new Sentence(tokens, tags));
            outLines.add(lines.stream().mapToInt(Integer::intValue).toArray());
            tokens.clear();
            tags.clear();
            lines.clear();
        }
    }

    // -------------------------------------------------------------------------------------------
    // Tag schemes

    /**
     * Returns the entity tag scheme of a document where its tags tell: BIOES when a tag starts
     * with E-, S-, L- or U-; otherwise BIO when no I-X follows anything but B-X or I-X; otherwise
     * IOB1 when no B-X follows anything but B-X or I-X. A document whose tags break both BIO's
     * and IOB1's rules is refused, naming a line of each.
     *
     * @param doc the document
     * @return the scheme, or null when the tags are not entity tags (such as part-of-speech tags)
     * @throws ConllFormatException if the scheme is ambiguous
     */
    public static TagScheme detect(Document doc) throws ConllFormatException {
        List<String> all = doc.sentences().stream().flatMap(s -> s.tags().stream()).distinct().toList();
        if (!TagScheme.isEntityTags(all)) {
            return null;
        }
        if (TagScheme.of(all) == TagScheme.BIOES) {
            return TagScheme.BIOES;
        }
        String notBio = firstViolation(doc, TagScheme.BIO);
        if (notBio == null) {
            return TagScheme.BIO;
        }
        String notIob1 = firstViolation(doc, TagScheme.IOB1);
        if (notIob1 == null) {
            return TagScheme.IOB1;
        }
        throw new ConllFormatException(doc.file(), 0,
                "cannot tell the tag scheme: it is not BIO (" + notBio + ") and not IOB1 (" + notIob1
                        + "); name it with --scheme and fix the file");
    }

    private static String firstViolation(Document doc, TagScheme scheme) {
        for (int s = 0; s < doc.sentences().size(); s++) {
            TagScheme.Violation v = scheme.firstViolation(doc.sentences().get(s).tags());
            if (v != null) {
                return "line " + line(doc, s, v) + ", sentence " + (s + 1) + ": " + v.transition();
            }
        }
        return null;
    }

    private static int line(Document doc, int sentence, TagScheme.Violation v) {
        int[] lines = doc.lines().get(sentence);
        return lines[Math.min(v.position(), lines.length - 1)];
    }

    /**
     * Checks that every sentence's tags are valid in a scheme and rewrites them in another,
     * through the entity spans they encode ({@link TagScheme#convert}).
     *
     * @param doc the document
     * @param from the file's scheme, or null to {@link #detect} it
     * @param to the scheme to write (the tagger's)
     * @return the converted document (the same one when the tags are not entity tags)
     * @throws ConllFormatException naming the file, line, sentence and transition of the first
     *     sentence the scheme does not allow, or if the scheme is ambiguous, or if {@code from}
     *     is given and a tag is not an entity tag
     */
    public static Document convert(Document doc, TagScheme from, TagScheme to) throws ConllFormatException {
        TagScheme scheme = from;
        if (scheme == null) {
            scheme = detect(doc);
            if (scheme == null) {
                return doc;
            }
        }
        List<Sentence> converted = new ArrayList<>(doc.sentences().size());
        for (int s = 0; s < doc.sentences().size(); s++) {
            Sentence sentence = doc.sentences().get(s);
            for (int t = 0; t < sentence.size(); t++) {
                String tag = sentence.tags().get(t);
                if (!tag.equals("O") && TagScheme.prefix(tag) == 0) {
                    throw new ConllFormatException(doc.file(), doc.lines().get(s)[t], String.format(
                            "sentence %d, token %d ('%s'): tag '%s' is not an entity tag of %s; expected O or B-/I-%s TYPE",
                            s + 1, t + 1, sentence.tokens().get(t), tag, scheme, scheme == TagScheme.BIOES ? "/E-/S-" : ""));
                }
            }
            TagScheme.Violation v = scheme.firstViolation(sentence.tags());
            if (v != null) {
                int at = Math.min(v.position(), sentence.size() - 1);
                throw new ConllFormatException(doc.file(), line(doc, s, v), String.format(
                        "sentence %d, token %d ('%s'): the transition %s is not allowed in %s%s; %s",
                        s + 1, at + 1, sentence.tokens().get(at), v.transition(), scheme,
                        from == null ? " (detected)" : "", hint(doc, scheme)));
            }
            converted.add(new Sentence(sentence.tokens(), scheme.convert(sentence.tags(), to)));
        }
        return doc.with(converted);
    }

    private static String hint(Document doc, TagScheme scheme) {
        for (TagScheme other : TagScheme.values()) {
            if (other != scheme && firstViolation(doc, other) == null) {
                return "the file is valid " + other + ": pass --scheme " + other;
            }
        }
        return "fix the file or name its scheme with --scheme";
    }

    /** A malformed CoNLL file; the message starts with {@code "<file>:<line>: "}. */
    public static final class ConllFormatException extends IOException {

        private static final long serialVersionUID = 1L;

        private final Path file;
        private final int line;

        ConllFormatException(Path file, int line, String problem) {
            super((line > 0 ? file + ":" + line : file.toString()) + ": " + problem);
            this.file = file;
            this.line = line;
        }

        /** Returns the file that failed to parse. */
        public Path getFile() {
            return file;
        }

        /** Returns the 1-based line number of the problem (0 when it concerns the whole file). */
        public int getLine() {
            return line;
        }
    }
}
