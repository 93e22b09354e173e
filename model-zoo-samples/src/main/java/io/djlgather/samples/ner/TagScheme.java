package io.djlgather.samples.ner;

import java.util.ArrayList;
import java.util.List;

/**
 * The three ways CoNLL files mark entity spans, their rules, and conversion between them through
 * the spans they encode ({@link BioSpans.Span}).
 *
 * <pre>
 *                 "Empire State Building" (LOC), then "ESB" (LOC) right after it
 * IOB1            I-LOC I-LOC I-LOC B-LOC     B- only where an entity directly follows one of its type
 * BIO (IOB2)      B-LOC I-LOC I-LOC B-LOC     every entity starts with B-
 * BIOES (BILOU)   B-LOC I-LOC E-LOC S-LOC     E- ends a longer entity, S- is a one-token entity
 *                                             (BILOU writes L- for E- and U- for S-)
 * </pre>
 *
 * <p>{@code O} and a tag without one of the scheme's prefixes are outside every entity. A tag
 * sequence is valid in a scheme when it breaks none of the scheme's rules ({@link
 * #firstViolation}); the CRF's constraints for BIO and BIOES forbid exactly the transitions
 * that break them, so a gold path that is invalid in the scheme the tagger trains on is one the
 * CRF forbids.
 */
public enum TagScheme {
    /** I- inside an entity and at its start; B- only to start an entity right after one of its type. */
    IOB1,
    /** B- at the start of every entity, I- inside it. */
    BIO,
    /** B- begin, I- inside, E- end (L- read as E-), S- single-token entity (U- read as S-). */
    BIOES;

    /**
     * One broken rule: the transition into token {@code position} (or out of the last token,
     * {@code position == tags.size()}).
     *
     * @param position 0-based token the transition leads into ({@code size} for the end)
     * @param from the previous tag, or {@code <start>}
     * @param to the tag, or {@code <end>}
     */
    public record Violation(int position, String from, String to) {

        /** Returns {@code "from -> to"}. */
        public String transition() {
            return from + " -> " + to;
        }
    }

    /**
     * Returns the scheme whose constraints fit a tag set: BIOES when a tag starts with {@code
     * E-}, {@code S-}, {@code L-} or {@code U-}, else BIO.
     *
     * @param tagSet the tags
     * @return BIOES or BIO
     */
    public static TagScheme of(List<String> tagSet) {
        for (String tag : tagSet) {
            char role = prefix(tag);
            if (role == 'E' || role == 'S' || role == 'L' || role == 'U') {
                return BIOES;
            }
        }
        return BIO;
    }

    /**
     * Returns whether every tag is {@code O} or {@code P-TYPE} with P one of B, I, E, S, L, U:
     * entity tags, which a scheme governs (part-of-speech tags such as {@code NOUN} are not).
     *
     * @param tags the tags
     * @return whether they are entity tags
     */
    public static boolean isEntityTags(List<String> tags) {
        for (String tag : tags) {
            if (!tag.equals("O") && prefix(tag) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The prefix letter of {@code P-TYPE} (P in BIESLU, TYPE non-empty), else 0. */
    static char prefix(String tag) {
        if (tag.length() > 2 && tag.charAt(1) == '-' && "BIESLU".indexOf(tag.charAt(0)) >= 0) {
            return tag.charAt(0);
        }
        return 0;
    }

    private static String type(String tag) {
        return prefix(tag) == 0 ? null : tag.substring(2);
    }

    /**
     * Returns the first place where a tag sequence breaks this scheme's rules, or null.
     *
     * <pre>
     * IOB1:  B-X must follow B-X or I-X (it separates two entities of type X); E-/S-/L-/U- do not exist
     * BIO:   I-X must follow B-X or I-X; E-/S-/L-/U- do not exist
     * BIOES: after B-X or I-X only I-X or E-X; I-X and E-X only after B-X or I-X;
     *        no B-X or I-X last
     * </pre>
     *
     * @param tags the tags of one sentence
     * @return the first violation, or null when the sequence is valid
     */
    public Violation firstViolation(List<String> tags) {
        String previous = "<start>";
        for (int i = 0; i <= tags.size(); i++) {
            String tag = i < tags.size() ? tags.get(i) : "<end>";
            if (!allowed(previous, tag)) {
                return new Violation(i, previous, tag);
            }
            previous = tag;
        }
        return null;
    }

    private boolean allowed(String from, String to) {
        char f = prefix(from);
        char t = prefix(to);
        String fromType = type(from);
        String toType = type(to);
        switch (this) {
            case IOB1:
            case BIO:
                if (t == 'E' || t == 'S' || t == 'L' || t == 'U') {
                    return false;
                }
                char needsPrevious = this == BIO ? 'I' : 'B';
                if (t == needsPrevious) {
                    return (f == 'B' || f == 'I') && fromType.equals(toType);
                }
                return true;
            default:
                boolean open = f == 'B' || f == 'I';
                boolean continues = t == 'I' || t == 'E' || t == 'L';
                if (open) {
                    return continues && fromType.equals(toType);
                }
                return !continues;
        }
    }

    /**
     * Returns the entities of a tag sequence that is valid in this scheme: {@code B-X} and
     * {@code S-X} start an entity; {@code I-X}, {@code E-X} continue an open entity of type X
     * (and start one otherwise, as conlleval reads ill-formed input); {@code E-X} and {@code
     * S-X} close it; {@code O} and other tags are outside.
     *
     * @param tags the tags
     * @return the spans in order
     */
    public List<BioSpans.Span> spans(List<String> tags) {
        List<BioSpans.Span> spans = new ArrayList<>();
        String open = null;
        int start = -1;
        for (int i = 0; i <= tags.size(); i++) {
            String tag = i < tags.size() ? tags.get(i) : "O";
            char p = prefix(tag);
            String type = type(tag);
            boolean continues = (p == 'I' || p == 'E' || p == 'L') && type.equals(open);
            if (open != null && !continues) {
                spans.add(new BioSpans.Span(open, start, i));
                open = null;
            }
            if (p != 0 && !continues) {
                open = type;
                start = i;
            }
            if (p == 'E' || p == 'L' || p == 'S' || p == 'U') {
                spans.add(new BioSpans.Span(open, start, i + 1));
                open = null;
            }
        }
        return spans;
    }

    /**
     * Writes spans as tags of this scheme.
     *
     * @param spans non-overlapping spans in order, inside [0, length)
     * @param length the sentence length
     * @return the tags, {@code O} outside the spans
     * @throws IllegalArgumentException if spans overlap, are out of order, empty or outside the
     *     sentence
     */
    public List<String> encode(List<BioSpans.Span> spans, int length) {
        String[] tags = new String[length];
        java.util.Arrays.fill(tags, "O");
        int covered = 0;
        BioSpans.Span previous = null;
        for (BioSpans.Span span : spans) {
            if (span.start() < covered || span.end() <= span.start() || span.end() > length) {
                throw new IllegalArgumentException(
                        "TagScheme.encode: spans must be non-empty, ordered, non-overlapping and inside [0, " + length
                                + "); got " + span + " after position " + covered);
            }
            String type = span.type();
            for (int i = span.start(); i < span.end(); i++) {
                tags[i] = "I-" + type;
            }
            switch (this) {
                case IOB1:
                    if (previous != null && previous.end() == span.start() && previous.type().equals(type)) {
                        tags[span.start()] = "B-" + type;
                    }
                    break;
                case BIO:
                    tags[span.start()] = "B-" + type;
                    break;
                default:
                    if (span.end() - span.start() == 1) {
                        tags[span.start()] = "S-" + type;
                    } else {
                        tags[span.start()] = "B-" + type;
                        tags[span.end() - 1] = "E-" + type;
                    }
            }
            covered = span.end();
            previous = span;
        }
        return List.of(tags);
    }

    /**
     * Rewrites one sentence's tags from this scheme into another, through its spans.
     *
     * @param tags tags valid in this scheme
     * @param target the scheme to write
     * @return the tags in {@code target}
     */
    public List<String> convert(List<String> tags, TagScheme target) {
        return target.encode(spans(tags), tags.size());
    }
}
