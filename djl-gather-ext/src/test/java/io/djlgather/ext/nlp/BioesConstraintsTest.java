package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * BIOES (BILOU) constraints against brute force: every tag sequence of length 1 to 5 over two
 * entity types is allowed by the transition, start and end masks exactly when it is a sequence
 * of the scheme's chunks ({@code O}, {@code S-X}, or {@code B-X I-X* E-X}), checked by a regular
 * expression written from that definition.
 */
class BioesConstraintsTest {

    /** The scheme's definition: a concatenation of chunks, each type consistent within its chunk. */
    private static final Pattern BIOES =
            Pattern.compile("(?:O |S-(\\w+) |B-(\\w+) (?:I-\\2 )*E-\\2 )*");
    private static final Pattern BILOU =
            Pattern.compile("(?:O |U-(\\w+) |B-(\\w+) (?:I-\\2 )*L-\\2 )*");

    static List<List<String>> sequences(List<String> tags, int maxLength) {
        List<List<String>> out = new ArrayList<>();
        for (int n = 1; n <= maxLength; n++) {
            int total = (int) Math.pow(tags.size(), n);
            for (int p = 0; p < total; p++) {
                List<String> seq = new ArrayList<>(n);
                int rest = p;
                for (int i = 0; i < n; i++) {
                    seq.add(tags.get(rest % tags.size()));
                    rest /= tags.size();
                }
                out.add(seq);
            }
        }
        return out;
    }

    static boolean allowedByMasks(List<String> tags, List<String> seq, boolean[][] tr, boolean[] st, boolean[] en) {
        int previous = tags.indexOf(seq.get(0));
        if (!st[previous]) {
            return false;
        }
        for (int i = 1; i < seq.size(); i++) {
            int next = tags.indexOf(seq.get(i));
            if (!tr[previous][next]) {
                return false;
            }
            previous = next;
        }
        return en[previous];
    }

    private static void matchesDefinition(List<String> tags, Pattern definition, int maxLength) {
        boolean[][] tr = CrfConstraints.bioesTransitions(tags);
        boolean[] st = CrfConstraints.bioesStart(tags);
        boolean[] en = CrfConstraints.bioesEnd(tags);
        int valid = 0;
        int checked = 0;
        for (List<String> seq : sequences(tags, maxLength)) {
            boolean want = definition.matcher(String.join(" ", seq) + " ").matches();
            assertEquals(want, allowedByMasks(tags, seq, tr, st, en), seq.toString());
            valid += want ? 1 : 0;
            checked++;
        }
        // the definition is neither everything nor nothing
        assertEquals(true, valid > 10 && valid < checked / 2, valid + " of " + checked);
    }

    @Test
    void bioesMasksAllowExactlyTheSchemesSequences() {
        List<String> tags = List.of("O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC");
        matchesDefinition(tags, BIOES, 5);
    }

    @Test
    void bilouLettersAreReadAsBioes() {
        List<String> tags = List.of("O", "B-ORG", "I-ORG", "L-ORG", "U-ORG", "B-MISC", "L-MISC", "U-MISC");
        matchesDefinition(tags, BILOU, 5);
    }

    @Test
    void blockHelpersAndFactoriesAgree() {
        List<String> tags = List.of("S-PER", "O", "E-PER", "B-PER", "I-PER");
        assertArrayEquals(CrfConstraints.bioesStart(tags), CrfBlock.bioesStartConstraints(tags));
        assertArrayEquals(CrfConstraints.bioesEnd(tags), CrfBlock.bioesEndConstraints(tags));
        boolean[][] a = CrfConstraints.bioesTransitions(tags);
        boolean[][] b = CrfBlock.bioesConstraints(tags);
        for (int i = 0; i < tags.size(); i++) {
            assertArrayEquals(a[i], b[i], tags.get(i));
        }
        // spelled out for one row: after B-PER only I-PER or E-PER
        assertArrayEquals(new boolean[] {false, false, true, false, true}, a[3]);
        assertEquals("[true, true, false, true, false]", Arrays.toString(CrfConstraints.bioesStart(tags)));
    }

    @Test
    void nullNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrfConstraints.bioesTransitions(null));
        assertEquals(true, e.getMessage().startsWith("bioesTransitions: tagNames"), e.getMessage());
        List<String> withNull = Arrays.asList("O", null);
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> CrfBlock.bioesEndConstraints(withNull));
        assertEquals(true, f.getMessage().startsWith("bioesEndConstraints: tagNames[1]"), f.getMessage());
    }
}
