package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which transitions, start tags and end tags a {@link CrfBlock} allows, and how the forbidden
 * ones are folded into its parameters: {@link CrfBlock#FORBIDDEN} (-10000, not -inf, so
 * gradients stay finite) is added to each forbidden entry's score, in the likelihood and in
 * Viterbi alike.
 *
 * <p>The factories build the masks of the BIO and BIOES (BILOU) tagging schemes from tag names,
 * for {@link CrfBlock.Builder#optAllowedTransitions(boolean[][])}, {@link
 * CrfBlock.Builder#optAllowedStart(boolean[])} and {@link CrfBlock.Builder#optAllowedEnd(boolean[])}:
 *
 * <pre>
 * var tags = List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC");
 * CrfBlock crf = CrfBlock.builder().setNumTags(tags.size())
 *         .optAllowedTransitions(CrfConstraints.bioTransitions(tags))
 *         .optAllowedStart(CrfConstraints.bioStart(tags))
 *         .build();
 * </pre>
 *
 * <p>An instance (made by the block's builder, or read back with saved parameters) is immutable.
 */
public final class CrfConstraints {

    final boolean[][] transitions;
    final boolean[] start;
    final boolean[] end;
    /** The additive penalties, row-major [C*C] / [C]; null where nothing is forbidden. */
    final float[] transitionPenalty;
    final float[] startPenalty;
    final float[] endPenalty;

    /** Takes the masks as they are (callers pass copies). */
    CrfConstraints(boolean[][] transitions, boolean[] start, boolean[] end) {
        this.transitions = transitions;
        this.start = start;
        this.end = end;
        boolean[] flat = new boolean[transitions.length * transitions.length];
        for (int i = 0; i < transitions.length; i++) {
            System.arraycopy(transitions[i], 0, flat, i * transitions.length,
                    transitions.length);
        }
        this.transitionPenalty = penalty(flat);
        this.startPenalty = penalty(start);
        this.endPenalty = penalty(end);
    }

    // ---------------------------------------------------------------------------------------
    // BIO factories

    /**
     * Returns the allowed transitions of the BIO scheme: {@code I-X} may only follow {@code B-X}
     * or {@code I-X}; every other tag ({@code O}, {@code B-*}, anything without a B-/I- prefix)
     * may follow any tag.
     *
     * @param tagNames the tag names, index = tag id, e.g. [O, B-PER, I-PER, B-LOC, I-LOC]
     * @return allowed[i][j]: whether tag j may follow tag i
     * @throws IllegalArgumentException if tagNames or one of its names is null
     */
    public static boolean[][] bioTransitions(List<String> tagNames) {
        return bioTransitions("bioTransitions", tagNames);
    }

    /**
     * Returns the allowed start tags of the BIO scheme: every tag but {@code I-*}.
     *
     * @param tagNames the tag names, index = tag id
     * @return allowed[j]: whether a sequence may start with tag j
     * @throws IllegalArgumentException if tagNames or one of its names is null
     */
    public static boolean[] bioStart(List<String> tagNames) {
        return bioStart("bioStart", tagNames);
    }

    static boolean[][] bioTransitions(String op, List<String> tagNames) {
        List<String> names = names(op, tagNames);
        int n = names.size();
        boolean[][] allowed = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                String to = names.get(j);
                if (to.startsWith("I-")) {
                    String type = to.substring(2);
                    String from = names.get(i);
                    allowed[i][j] = from.equals("B-" + type) || from.equals("I-" + type);
                } else {
                    allowed[i][j] = true;
                }
            }
        }
        return allowed;
    }

    static boolean[] bioStart(String op, List<String> tagNames) {
        List<String> names = names(op, tagNames);
        boolean[] allowed = new boolean[names.size()];
        for (int j = 0; j < allowed.length; j++) {
            allowed[j] = !names.get(j).startsWith("I-");
        }
        return allowed;
    }

    private static List<String> names(String op, List<String> tagNames) {
        Checks.notNull(op, "tagNames", tagNames);
        List<String> names = new ArrayList<>(tagNames.size());
        for (int i = 0; i < tagNames.size(); i++) {
            names.add(Checks.notNull(op, "tagNames[" + i + "]", tagNames.get(i)));
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------
    // BIOES (BILOU) factories

    /**
     * Returns the allowed transitions of the BIOES scheme (also written BILOU: {@code L-} is read
     * as {@code E-} and {@code U-} as {@code S-}). An entity of type X is either {@code S-X}
     * alone or {@code B-X}, any number of {@code I-X}, then {@code E-X}; {@code O} and tags
     * without one of these prefixes are outside every entity. So:
     *
     * <pre>
     * after B-X or I-X:          only I-X or E-X (the entity must go on, with the same type)
     * after O, E-*, S-*, other:  O, B-*, S-*, other (no entity is open)
     * </pre>
     *
     * @param tagNames the tag names, index = tag id, e.g. [O, B-PER, I-PER, E-PER, S-PER]
     * @return allowed[i][j]: whether tag j may follow tag i
     * @throws IllegalArgumentException if tagNames or one of its names is null
     */
    public static boolean[][] bioesTransitions(List<String> tagNames) {
        return bioesTransitions("bioesTransitions", tagNames);
    }

    /**
     * Returns the allowed start tags of the BIOES scheme: {@code O}, {@code B-*}, {@code S-*}
     * and tags without a scheme prefix (not {@code I-*} or {@code E-*}/{@code L-*}).
     *
     * @param tagNames the tag names, index = tag id
     * @return allowed[j]: whether a sequence may start with tag j
     * @throws IllegalArgumentException if tagNames or one of its names is null
     */
    public static boolean[] bioesStart(List<String> tagNames) {
        return bioesStart("bioesStart", tagNames);
    }

    /**
     * Returns the allowed end tags of the BIOES scheme: {@code O}, {@code E-*}, {@code S-*}
     * and tags without a scheme prefix (not {@code B-*} or {@code I-*}: an open entity).
     *
     * @param tagNames the tag names, index = tag id
     * @return allowed[j]: whether a sequence may end with tag j
     * @throws IllegalArgumentException if tagNames or one of its names is null
     */
    public static boolean[] bioesEnd(List<String> tagNames) {
        return bioesEnd("bioesEnd", tagNames);
    }

    /** A BIOES tag's role: its prefix letter (L read as E, U as S), or 'O' for anything else. */
    private static char role(String tag) {
        if (tag.length() > 2 && tag.charAt(1) == '-') {
            switch (tag.charAt(0)) {
                case 'B': return 'B';
                case 'I': return 'I';
                case 'E': case 'L': return 'E';
                case 'S': case 'U': return 'S';
                default: return 'O';
            }
        }
        return 'O';
    }

    static boolean[][] bioesTransitions(String op, List<String> tagNames) {
        List<String> names = names(op, tagNames);
        int n = names.size();
        boolean[][] allowed = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            String from = names.get(i);
            char fromRole = role(from);
            boolean open = fromRole == 'B' || fromRole == 'I';
            for (int j = 0; j < n; j++) {
                String to = names.get(j);
                char toRole = role(to);
                boolean continues = toRole == 'I' || toRole == 'E';
                allowed[i][j] = open
                        ? continues && from.substring(2).equals(to.substring(2))
                        : !continues;
            }
        }
        return allowed;
    }

    static boolean[] bioesStart(String op, List<String> tagNames) {
        List<String> names = names(op, tagNames);
        boolean[] allowed = new boolean[names.size()];
        for (int j = 0; j < allowed.length; j++) {
            char r = role(names.get(j));
            allowed[j] = r != 'I' && r != 'E';
        }
        return allowed;
    }

    static boolean[] bioesEnd(String op, List<String> tagNames) {
        List<String> names = names(op, tagNames);
        boolean[] allowed = new boolean[names.size()];
        for (int j = 0; j < allowed.length; j++) {
            char r = role(names.get(j));
            allowed[j] = r != 'B' && r != 'I';
        }
        return allowed;
    }

    // ---------------------------------------------------------------------------------------
    // Validation (the block's builder)

    /**
     * Checks and copies the builder's masks; a null mask allows everything.
     *
     * @throws IllegalArgumentException if a mask is not [C][C] / [C]
     */
    static CrfConstraints of(String op, int numTags, boolean[][] transitions, boolean[] start,
            boolean[] end) {
        boolean[][] copy = new boolean[numTags][];
        if (transitions == null) {
            for (int i = 0; i < numTags; i++) {
                copy[i] = new boolean[numTags];
                Arrays.fill(copy[i], true);
            }
        } else {
            if (transitions.length != numTags) {
                throw Checks.fail(op, "allowedTransitions", "has the wrong shape",
                        "[" + numTags + "][" + numTags + "]",
                        "[" + transitions.length + "][...]");
            }
            for (int i = 0; i < numTags; i++) {
                boolean[] row = transitions[i];
                if (row == null || row.length != numTags) {
                    throw Checks.fail(op, "allowedTransitions[" + i + "]",
                            "has the wrong length", numTags, row == null ? "null" : row.length);
                }
                copy[i] = row.clone();
            }
        }
        return new CrfConstraints(copy, vector(op, "allowedStart", numTags, start),
                vector(op, "allowedEnd", numTags, end));
    }

    private static boolean[] vector(String op, String argument, int numTags, boolean[] allowed) {
        if (allowed == null) {
            boolean[] all = new boolean[numTags];
            Arrays.fill(all, true);
            return all;
        }
        if (allowed.length != numTags) {
            throw Checks.fail(op, argument, "has the wrong length", numTags, allowed.length);
        }
        return allowed.clone();
    }

    private static float[] penalty(boolean[] allowed) {
        float[] penalty = new float[allowed.length];
        boolean any = false;
        for (int i = 0; i < allowed.length; i++) {
            if (!allowed[i]) {
                penalty[i] = (float) CrfBlock.FORBIDDEN;
                any = true;
            }
        }
        return any ? penalty : null;
    }

    // ---------------------------------------------------------------------------------------
    // Folding into the parameters

    /**
     * Returns a new array, parameter + penalty (a differentiable copy if there is no penalty),
     * owned by {@code owner}.
     */
    static NDArray constrain(NDArray parameter, NDArray penalty, NDManager owner) {
        NDArray sum = penalty == null ? parameter.add(0) : parameter.add(penalty);
        if (sum.getManager() != owner) {
            sum.attach(owner);
        }
        return sum;
    }

    /**
     * One block's penalty arrays (transitions, start, end; null where nothing is forbidden) per
     * device and dtype, built from the constraints once and reused by every forward pass. They
     * live in the parameter's manager (the model's, or a Predictor's parameter copy), so they go
     * with it; a cached set whose arrays were freed, or that was built for constraints since
     * replaced (a block's parameters loaded), is built again.
     */
    static final class PenaltyCache {
        private final Map<String, Penalties> cache = new ConcurrentHashMap<>();

        NDArray[] get(CrfConstraints c, NDArray parameter, int numTags) {
            String key = parameter.getDevice() + "/" + parameter.getDataType();
            Penalties cached = cache.compute(key, (k, old) -> {
                if (old != null && old.constraints == c && old.sameManager(parameter)
                        && !old.released()) {
                    return old;
                }
                return new Penalties(c, parameter, numTags);
            });
            return cached.arrays;
        }
    }

    /** One device and dtype's penalty arrays, for one set of constraints. */
    private static final class Penalties {
        final CrfConstraints constraints;
        final NDArray[] arrays;
        private final NDManager manager;

        Penalties(CrfConstraints c, NDArray like, int numTags) {
            constraints = c;
            manager = like.getManager();
            arrays = new NDArray[] {
                make(c.transitionPenalty, new Shape(numTags, numTags), like),
                make(c.startPenalty, new Shape(numTags), like),
                make(c.endPenalty, new Shape(numTags), like)
            };
        }

        private static NDArray make(float[] penalty, Shape shape, NDArray like) {
            if (penalty == null) {
                return null;
            }
            NDArray host = like.getManager().create(penalty, shape);
            NDArray onDevice = host.toDevice(like.getDevice(), false);
            if (onDevice != host) {
                host.close();
            }
            NDArray typed = onDevice.toType(like.getDataType(), false);
            if (typed != onDevice) {
                onDevice.close();
            }
            return typed;
        }

        boolean sameManager(NDArray parameter) {
            return manager == parameter.getManager();
        }

        boolean released() {
            for (NDArray a : arrays) {
                if (a != null && a.isReleased()) {
                    return true;
                }
            }
            return false;
        }
    }
}
