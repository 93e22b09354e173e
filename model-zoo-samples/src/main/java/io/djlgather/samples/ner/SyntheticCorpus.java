package io.djlgather.samples.ner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A small news-like corpus with BIO tags for PER, LOC, ORG and DATE, generated from templates
 * and word lists written for this project, with a fixed seed.
 *
 * <p>It is made so that the tagger has to learn something and cannot reach a perfect score by
 * remembering words:
 *
 * <ul>
 *   <li>unseen names: every name list is split about 65/35; train draws only from the first
 *       part, and each entity in dev draws from the unseen part with probability 1/2;
 *   <li>unseen templates: about a third of the dev sentences come from templates the train split
 *       never uses;
 *   <li>ambiguous words: some surnames are also place names ("Calloway"), organisations are
 *       named after people ("Okafor Foods", "Brandt and Holm") and places ("Bank of Keldan",
 *       "Keldan Rail"), some first names are months ("May", "June"), "Sunday" starts a
 *       newspaper's name as well as a date, the modal "may" appears in lower case;
 *   <li>capitalised words that are not entities: sentence starts ("Analysts", "Residents"),
 *       titles before names ("Minister", "Judge"), capitalised words inside phrases;
 *   <li>dates and numbers: a year is a DATE in "in 1998" and not in "1998 ballots"; day numbers
 *       and quantities share their shape;
 *   <li>entities of 1 to 5 tokens with lower-case inner words ("Bank of Port Ivy", "Ansel van
 *       Rooth") and nested-looking phrases ("the Keldan branch of Bluefin Holdings");
 *   <li>case noise: about 6% of sentences are all lower case and 4% all upper case (headlines).
 * </ul>
 */
public final class SyntheticCorpus {

    private static final String[] FIRST = {
        "Alma", "Bruno", "Celia", "Dario", "Edna", "Felix", "Greta", "Hugo", "Ines", "Jonas",
        "Kira", "Lionel", "Mara", "Nils", "Olga", "Pavel", "Rosa", "Silas", "Tamsin", "Ulric",
        "Vera", "Wendel", "Xenia", "Yusuf", "Zora", "Anselm", "Bettina", "Cosmo", "Dagny", "Emrys",
        "May", "June", "August", "Florin", "Gideon", "Hester", "Ottilie", "Radu", "Sabine", "Teodor"
    };
    private static final String[] LAST = {
        "Okafor", "Lindqvist", "Moreau", "Tanaka", "Brandt", "Castellan", "Ferreira", "Holm",
        "Ivanova", "Jaramillo", "Kowalczyk", "Lachance", "Mbeki", "Nakamura", "Oyelaran",
        "Petrov", "Quist", "Rahman", "Sorensen", "Trevisan", "Uysal", "Valdez", "Whitlock",
        "Yilmaz", "Zeller", "Abernathy", "Bellweather", "Crane", "Dunmore", "Esterhazy",
        // also place names below
        "Calloway", "Marrow", "Brennick", "Ashford", "Pellham", "Thornbury", "Lowmoor", "Rooth"
    };
    private static final String[] PLACE = {
        "Marrow", "Keldan", "Ivy", "Ostrava", "Brennick", "Calloway", "Duskmere", "Eastwick",
        "Fairhollow", "Greystone", "Halvorsen", "Isca", "Juniper", "Korsa", "Lowmoor", "Millbrook",
        "Tarrant", "Oakridge", "Pellham", "Quarry", "Redwater", "Saltmarsh", "Thornbury", "Upton",
        "Varna", "Westerly", "Yarrow", "Zennor", "Ashford", "Blackpine", "Crane", "Dunmore",
        "Whitlock", "Elmsgate", "Harrowby", "Kestrel"
    };
    private static final String[] PLACE_BEFORE = {"Port", "New", "East", "Upper", "Lake"};
    private static final String[] PLACE_AFTER = {"Falls", "Bay", "Heights", "Creek", "Vale", "Point"};
    private static final String[] ORG_HEAD = {
        "Northstar", "Bluefin", "Copperline", "Helix", "Ironwood", "Lumen", "Meridian", "Nimbus",
        "Orchard", "Pinnacle", "Quasar", "Riverside", "Silverleaf", "Tidewater", "Umbra",
        "Vantage", "Willow", "Zephyr", "Amberly", "Brightwell", "Corvid", "Driftwood", "Emberline",
        "Foxglove"
    };
    private static final String[] ORG_TAIL = {
        "Rail", "Bank", "Group", "Labs", "Mining", "Holdings", "Airways", "Foods", "Energy",
        "Press", "Insurance", "Motors", "Council", "United", "Partners", "Textiles"
    };
    private static final String[] ORG_OF = {"Bank of", "University of", "Port Authority of", "Chamber of Commerce of"};
    private static final String[] PAPER = {"Courier", "Gazette", "Herald", "Ledger"};
    private static final String[] PARTICLE = {"van", "de", "al", "von"};
    private static final String[] HONORIFIC = {"Dr.", "Mr.", "Ms."};
    private static final String[] TITLE = {
        "Minister", "Judge", "Coach", "Senator", "Professor", "Chairman", "Captain", "Mayor"
    };
    private static final String[] CAP = {
        "Analysts", "Residents", "Officials", "Economists", "Dealers", "Volunteers", "Investors"
    };
    private static final String[] MONTH = {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December"
    };
    private static final String[] WEEKDAY = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    };

    /**
     * Templates of both splits; slots are {PER}, {LOC}, {ORG}, {DATE}, {YEAR} (a year as a
     * DATE), {N} (a number that is not an entity), {TITLE} and {CAP} (capitalised non-entities).
     */
    private static final String[] TEMPLATES = {
        "{PER} visited {LOC} on {DATE} .",
        "{ORG} said on {DATE} that it would open an office in {LOC} .",
        "The mayor of {LOC} , {PER} , met officials from {ORG} .",
        "{PER} , a spokesman for {ORG} , declined to comment .",
        "Officials in {LOC} expect the deal to close by {DATE} .",
        "Shares of {ORG} rose {N} percent after {PER} joined the board .",
        "{PER} was born in {LOC} and moved to {LOC} in {YEAR} .",
        "According to {TITLE} {PER} , {ORG} may cut {N} jobs in {LOC} .",
        "Talks between {ORG} and {ORG} resumed on {DATE} .",
        "Police in {LOC} said {PER} had been released .",
        "{ORG} appointed {PER} as chief executive in {YEAR} .",
        "Heavy rain closed roads around {LOC} for {N} days .",
        "{TITLE} {PER} told reporters that {LOC} needs a new bridge .",
        "The report , published by {ORG} on {DATE} , praised {PER} .",
        "Fans gathered in {LOC} to welcome {PER} home .",
        "{ORG} bought a stake in {ORG} for {N} million dollars .",
        "On {DATE} , {PER} and {PER} signed the agreement in {LOC} .",
        "The new line will link {LOC} with {LOC} by {YEAR} .",
        "A court in {LOC} fined {ORG} {N} dollars on {DATE} .",
        "{PER} said the weather in {LOC} was unusually warm .",
        "{CAP} say {ORG} sold {N} cars in {YEAR} .",
        "{CAP} expect {N} visitors in {LOC} this summer .",
        "The {LOC} branch of {ORG} will close by {DATE} .",
        "{PER} , who left {ORG} in {YEAR} , now lives in {LOC} .",
        "Prices in {LOC} fell for a third month , {ORG} said .",
        "{ORG} scored {N} points against {ORG} on {DATE} .",
        "The {N} members of {ORG} voted on {DATE} .",
        "Residents of {LOC} may vote again in {YEAR} .",
        "{PER} , {N} , is the youngest member of {ORG} .",
        "Traffic between {LOC} and {LOC} was light on {DATE} .",
        "{PER} wrote in the {ORG} that {PER} was wrong .",
        "{ORG} , based in {LOC} , employs {N} people ."
    };

    /** Templates only the dev split uses. */
    private static final String[] DEV_TEMPLATES = {
        "In {YEAR} , {PER} founded {ORG} with {N} staff .",
        "{ORG} shares closed at {N} cents in {LOC} on {DATE} .",
        "{TITLE} {PER} arrived in {LOC} late on {DATE} .",
        "Both {ORG} and {ORG} denied the claims made by {PER} .",
        "{CAP} in {LOC} counted {N} ballots by {DATE} .",
        "A spokeswoman for {PER} said {ORG} had no plans for {LOC} .",
        "{PER} beat {PER} in the final in {LOC} .",
        "Flights from {LOC} to {LOC} were cancelled until {DATE} .",
        "{ORG} hired {N} workers from {LOC} after {PER} resigned .",
        "Asked about {LOC} , {PER} of {ORG} said nothing ."
    };

    /** Share of dev sentences drawn from {@link #DEV_TEMPLATES}. */
    private static final double DEV_TEMPLATE_SHARE = 0.35;
    /** Probability that a dev entity draws its names from the unseen pools. */
    private static final double UNSEEN_NAME_RATE = 0.5;

    private SyntheticCorpus() {}

    /** The train and dev splits. */
    public record Splits(List<Sentence> train, List<Sentence> dev) {}

    /**
     * Generates the corpus.
     *
     * @param trainSize number of train sentences, at least 1
     * @param devSize number of dev sentences, at least 1
     * @param seed the random seed; the same seed gives the same corpus
     * @return the splits
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Splits generate(int trainSize, int devSize, long seed) {
        if (trainSize < 1 || devSize < 1) {
            throw new IllegalArgumentException(
                    "SyntheticCorpus: trainSize and devSize must be >= 1; got "
                            + trainSize
                            + " and "
                            + devSize);
        }
        Random random = new Random(seed);
        Pools seen = new Pools();
        Pools unseen = new Pools();
        split(FIRST, random, seen.first, unseen.first);
        split(LAST, random, seen.last, unseen.last);
        split(PLACE, random, seen.place, unseen.place);
        split(ORG_HEAD, random, seen.orgHead, unseen.orgHead);
        List<Sentence> train = new ArrayList<>(trainSize);
        for (int i = 0; i < trainSize; i++) {
            train.add(sentence(random, TEMPLATES, seen, seen, 0));
        }
        List<Sentence> dev = new ArrayList<>(devSize);
        for (int i = 0; i < devSize; i++) {
            String[] templates = random.nextDouble() < DEV_TEMPLATE_SHARE ? DEV_TEMPLATES : TEMPLATES;
            dev.add(sentence(random, templates, seen, unseen, UNSEEN_NAME_RATE));
        }
        return new Splits(train, dev);
    }

    private static final class Pools {
        final List<String> first = new ArrayList<>();
        final List<String> last = new ArrayList<>();
        final List<String> place = new ArrayList<>();
        final List<String> orgHead = new ArrayList<>();
    }

    /** Puts about 65% of the words into {@code seen} and the rest into {@code unseen}. */
    private static void split(String[] words, Random random, List<String> seen, List<String> unseen) {
        List<String> shuffled = new ArrayList<>(List.of(words));
        Collections.shuffle(shuffled, random);
        int cut = (int) Math.round(shuffled.size() * 0.65);
        seen.addAll(shuffled.subList(0, cut));
        unseen.addAll(shuffled.subList(cut, shuffled.size()));
    }

    private static Sentence sentence(Random random, String[] templates, Pools seen, Pools unseen, double unseenRate) {
        String template = templates[random.nextInt(templates.length)];
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String part : template.split(" ")) {
            Pools pools = random.nextDouble() < unseenRate ? unseen : seen;
            switch (part) {
                case "{PER}" -> add(tokens, tags, person(random, pools), "PER");
                case "{LOC}" -> add(tokens, tags, place(random, pools), "LOC");
                case "{ORG}" -> add(tokens, tags, organisation(random, pools), "ORG");
                case "{DATE}" -> add(tokens, tags, date(random), "DATE");
                case "{YEAR}" -> add(tokens, tags, year(random), "DATE");
                case "{N}" -> add(tokens, tags, number(random), null);
                case "{TITLE}" -> add(tokens, tags, pick(random, TITLE), null);
                case "{CAP}" -> add(tokens, tags, pick(random, CAP), null);
                default -> add(tokens, tags, part, null);
            }
        }
        double casing = random.nextDouble();
        if (casing < 0.06) {
            tokens.replaceAll(t -> t.toLowerCase(Locale.ROOT));
        } else if (casing < 0.10) {
            tokens.replaceAll(t -> t.toUpperCase(Locale.ROOT));
        }
        return new Sentence(tokens, tags);
    }

    /** Adds the words of {@code phrase}, tagged B-/I-{@code type}, or O when type is null. */
    private static void add(List<String> tokens, List<String> tags, String phrase, String type) {
        String[] words = phrase.split(" ");
        for (int i = 0; i < words.length; i++) {
            tokens.add(words[i]);
            tags.add(type == null ? "O" : (i == 0 ? "B-" : "I-") + type);
        }
    }

    private static String person(Random random, Pools pools) {
        return switch (random.nextInt(6)) {
            case 0 -> pick(random, pools.last);
            case 1 -> pick(random, HONORIFIC) + " " + pick(random, pools.last);
            case 2 -> pick(random, pools.first).charAt(0) + ". " + pick(random, pools.last);
            case 3 -> pick(random, pools.first) + " " + pick(random, PARTICLE) + " " + pick(random, pools.last);
            default -> pick(random, pools.first) + " " + pick(random, pools.last);
        };
    }

    private static String place(Random random, Pools pools) {
        return switch (random.nextInt(5)) {
            case 0 -> pick(random, PLACE_BEFORE) + " " + pick(random, pools.place);
            case 1 -> pick(random, pools.place) + " " + pick(random, PLACE_AFTER);
            default -> pick(random, pools.place);
        };
    }

    private static String organisation(Random random, Pools pools) {
        return switch (random.nextInt(9)) {
            case 0 -> pick(random, pools.orgHead);
            case 1, 2 -> pick(random, pools.orgHead) + " " + pick(random, ORG_TAIL);
            case 3 -> pick(random, pools.place) + " " + pick(random, ORG_TAIL);
            case 4 -> pick(random, pools.last) + " " + pick(random, ORG_TAIL);
            case 5 -> pick(random, pools.last) + " and " + pick(random, pools.last);
            case 6 -> pick(random, ORG_OF) + " " + place(random, pools);
            case 7 -> (random.nextBoolean() ? "Sunday" : pick(random, pools.place)) + " " + pick(random, PAPER);
            default -> pick(random, pools.first) + " " + pick(random, pools.last) + " Foundation";
        };
    }

    private static String date(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> pick(random, WEEKDAY);
            case 1 -> pick(random, MONTH) + " " + (1 + random.nextInt(28));
            case 2 -> (1 + random.nextInt(28)) + " " + pick(random, MONTH) + " " + (1990 + random.nextInt(35));
            case 3 -> pick(random, MONTH);
            default -> pick(random, MONTH) + " " + (1990 + random.nextInt(35));
        };
    }

    private static String year(Random random) {
        return Integer.toString(1990 + random.nextInt(35));
    }

    /** A quantity: small counts, day-like numbers, and year-like numbers (1990 to 2024). */
    private static String number(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> Integer.toString(2 + random.nextInt(29));
            case 1 -> Integer.toString(1990 + random.nextInt(35));
            default -> Integer.toString(40 + random.nextInt(900));
        };
    }

    private static String pick(Random random, List<String> pool) {
        return pool.get(random.nextInt(pool.size()));
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
