package io.djlgather.samples.ner;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CoNLL-style files: one token per line, whitespace-separated columns with the token in
 * the first column and its tag in the last, a blank line between sentences. That is the layout
 * of CoNLL-2003 ({@code EU NNP B-NP B-ORG}) and of two-column word/UPOS files cut from Universal
 * Dependencies ({@code dogs NOUN}).
 *
 * <p>Skipped: {@code -DOCSTART-} lines, and lines starting with {@code #} before a sentence's
 * first token (UD's {@code # sent_id}/{@code # text} comments; a {@code #} token inside a
 * sentence is kept). Every token line of a file must have the column count of the file's first
 * token line.
 *
 * <p>A malformed file gives a {@link ConllFormatException} whose message names the file and the
 * line: {@code "data/train.txt:17: ..."}.
 */
public final class ConllReader {

    private ConllReader() {}

    /**
     * Reads every sentence of a file.
     *
     * @param file a CoNLL-style UTF-8 text file
     * @return the sentences in file order, at least one
     * @throws ConllFormatException if a line has fewer than 2 columns, a different column count
     *     than the first token line, or the file holds no sentence
     * @throws IOException if the file cannot be read
     */
    public static List<Sentence> read(Path file) throws IOException {
        List<Sentence> sentences = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int columns = -1;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    flush(tokens, tags, sentences);
                    continue;
                }
                if (trimmed.startsWith("-DOCSTART-")) {
                    flush(tokens, tags, sentences);
                    continue;
                }
                if (trimmed.startsWith("#") && tokens.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
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
                if (columns < 0) {
                    columns = parts.length;
                } else if (parts.length != columns) {
                    throw new ConllFormatException(
                            file,
                            lineNo,
                            "expected "
                                    + columns
                                    + " columns like the file's first token line, got "
                                    + parts.length
                                    + ": '"
                                    + trimmed
                                    + "'");
                }
                tokens.add(parts[0]);
                tags.add(parts[parts.length - 1]);
            }
        }
        flush(tokens, tags, sentences);
        if (sentences.isEmpty()) {
            throw new ConllFormatException(
                    file, lineNo, "expected at least one sentence, got none (empty file?)");
        }
        return sentences;
    }

    private static void flush(List<String> tokens, List<String> tags, List<Sentence> out) {
        if (!tokens.isEmpty()) {
            out.add(new Sentence(tokens, tags));
            tokens.clear();
            tags.clear();
        }
    }

    /** A malformed CoNLL file; the message starts with {@code "<file>:<line>: "}. */
    public static final class ConllFormatException extends IOException {

        private static final long serialVersionUID = 1L;

        private final Path file;
        private final int line;

        ConllFormatException(Path file, int line, String problem) {
            super(file + ":" + line + ": " + problem);
            this.file = file;
            this.line = line;
        }

        /** Returns the file that failed to parse. */
        public Path getFile() {
            return file;
        }

        /** Returns the 1-based line number of the problem. */
        public int getLine() {
            return line;
        }
    }
}
