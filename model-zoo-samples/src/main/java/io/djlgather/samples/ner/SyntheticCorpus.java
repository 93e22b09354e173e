package io.djlgather.samples.ner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A small news-like corpus with BIO tags for PER, LOC, ORG and DATE, generated from templates
 * and word lists written for this project, with a fixed seed.
 *
 * <p>It is made so that the tagger has to learn something: the dev split draws half of its
 * entity names from a pool the train split never shows, so the tagger must use context and word
 * shape; some words are both a place and part of an organisation name ("Marrow" and "Marrow
 * Rail"), and some capitalised words are not entities (sentence-initial "The", "Officials").
 */
public final class SyntheticCorpus {

    private static final String[] FIRST = {
        "Alma", "Bruno", "Celia", "Dario", "Edna", "Felix", "Greta", "Hugo", "Ines", "Jonas",
        "Kira", "Lionel", "Mara", "Nils", "Olga", "Pavel", "Rosa", "Silas", "Tamsin", "Ulric",
        "Vera", "Wendel", "Xenia", "Yusuf", "Zora", "Anselm", "Bettina", "Cosmo", "Dagny", "Emrys"
    };
    private static final String[] LAST = {
        "Okafor", "Lindqvist", "Moreau", "Tanaka", "Brandt", "Castellan", "Ferreira", "Holm",
        "Ivanova", "Jaramillo", "Kowalczyk", "Lachance", "Mbeki", "Nakamura", "Oyelaran",
        "Petrov", "Quist", "Rahman", "Sorensen", "Trevisan", "Uysal", "Valdez", "Whitlock",
        "Yilmaz", "Zeller", "Abernathy", "Bellweather", "Crane", "Dunmore", "Esterhazy"
    };
    private static final String[] PLACE = {
        "Marrow", "Keldan", "Port Ivy", "Ostrava Falls", "Brennick", "Calloway", "Duskmere",
        "Eastwick Bay", "Fairhollow", "Greystone", "Halvorsen", "Isca", "Juniper Creek", "Korsa",
        "Lowmoor", "Millbrook", "New Tarrant", "Oakridge", "Pellham", "Quarry Point", "Redwater",
        "Saltmarsh", "Thornbury", "Upton Vale", "Varna Heights", "Westerly", "Yarrow", "Zennor",
        "Ashford", "Blackpine"
    };
    private static final String[] ORG_HEAD = {
        "Marrow", "Keldan", "Northstar", "Bluefin", "Ashford", "Copperline", "Greystone",
        "Helix", "Ironwood", "Lumen", "Meridian", "Nimbus", "Orchard", "Pinnacle", "Quasar",
        "Riverside", "Silverleaf", "Tidewater", "Umbra", "Vantage", "Willow", "Zephyr"
    };
    private static final String[] ORG_TAIL = {
        "Rail", "Bank", "Group", "Labs", "Mining", "Holdings", "Airways", "Foods", "Energy",
        "Press", "Insurance", "Motors", "Council", "United"
    };
    private static final String[] MONTH = {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December"
    };
    private static final String[] WEEKDAY = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    };

    /** Sentence templates; slots are {PER}, {LOC}, {ORG}, {DATE}. */
    private static final String[] TEMPLATES = {
        "{PER} visited {LOC} on {DATE} .",
        "{ORG} said on {DATE} that it would open an office in {LOC} .",
        "The mayor of {LOC} , {PER} , met officials from {ORG} .",
        "{PER} , a spokesman for {ORG} , declined to comment .",
        "Officials in {LOC} expect the deal to close by {DATE} .",
        "Shares of {ORG} rose 4 percent after {PER} joined the board .",
        "{PER} was born in {LOC} and moved to {LOC} in {DATE} .",
        "According to {PER} , {ORG} will cut 300 jobs in {LOC} .",
        "The talks between {ORG} and {ORG} resumed on {DATE} .",
        "Police in {LOC} said {PER} had been released .",
        "{ORG} appointed {PER} as chief executive on {DATE} .",
        "Heavy rain closed roads around {LOC} for three days .",
        "{PER} told reporters that {LOC} needs a new bridge .",
        "The report , published by {ORG} on {DATE} , praised {PER} .",
        "Fans gathered in {LOC} to welcome {PER} home .",
        "{ORG} bought a stake in {ORG} for 20 million dollars .",
        "On {DATE} , {PER} and {PER} signed the agreement in {LOC} .",
        "The new line will link {LOC} with {LOC} by {DATE} .",
        "A court in {LOC} fined {ORG} on {DATE} .",
        "{PER} said the weather in {LOC} was unusually warm ."
    };

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
            train.add(sentence(random, seen));
        }
        List<Sentence> dev = new ArrayList<>(devSize);
        for (int i = 0; i < devSize; i++) {
            dev.add(sentence(random, random.nextBoolean() ? seen : unseen));
        }
        return new Splits(train, dev);
    }

    private static final class Pools {
        final List<String> first = new ArrayList<>();
        final List<String> last = new ArrayList<>();
        final List<String> place = new ArrayList<>();
        final List<String> orgHead = new ArrayList<>();
    }

    /** Puts about 70% of the words into {@code seen} and the rest into {@code unseen}. */
    private static void split(String[] words, Random random, List<String> seen, List<String> unseen) {
        List<String> shuffled = new ArrayList<>(List.of(words));
        Collections.shuffle(shuffled, random);
        int cut = (int) Math.round(shuffled.size() * 0.7);
        seen.addAll(shuffled.subList(0, cut));
        unseen.addAll(shuffled.subList(cut, shuffled.size()));
    }

    private static Sentence sentence(Random random, Pools pools) {
        String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String part : template.split(" ")) {
            switch (part) {
                case "{PER}" -> add(tokens, tags, person(random, pools), "PER");
                case "{LOC}" -> add(tokens, tags, pick(random, pools.place), "LOC");
                case "{ORG}" -> add(tokens, tags, organisation(random, pools), "ORG");
                case "{DATE}" -> add(tokens, tags, date(random), "DATE");
                default -> {
                    tokens.add(part);
                    tags.add("O");
                }
            }
        }
        return new Sentence(tokens, tags);
    }

    private static void add(List<String> tokens, List<String> tags, String entity, String type) {
        String[] words = entity.split(" ");
        for (int i = 0; i < words.length; i++) {
            tokens.add(words[i]);
            tags.add((i == 0 ? "B-" : "I-") + type);
        }
    }

    private static String person(Random random, Pools pools) {
        return switch (random.nextInt(3)) {
            case 0 -> pick(random, pools.last);
            case 1 -> "Dr. " + pick(random, pools.last);
            default -> pick(random, pools.first) + " " + pick(random, pools.last);
        };
    }

    private static String organisation(Random random, Pools pools) {
        return switch (random.nextInt(4)) {
            case 0 -> pick(random, pools.orgHead);
            case 1 -> "Bank of " + pick(random, pools.place);
            default -> pick(random, pools.orgHead) + " " + ORG_TAIL[random.nextInt(ORG_TAIL.length)];
        };
    }

    private static String date(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> WEEKDAY[random.nextInt(WEEKDAY.length)];
            case 1 -> MONTH[random.nextInt(MONTH.length)] + " " + (1 + random.nextInt(28));
            case 2 -> (1 + random.nextInt(28)) + " " + MONTH[random.nextInt(MONTH.length)] + " "
                    + (1990 + random.nextInt(35));
            default -> MONTH[random.nextInt(MONTH.length)] + " " + (1990 + random.nextInt(35));
        };
    }

    private static String pick(Random random, List<String> pool) {
        return pool.get(random.nextInt(pool.size()));
    }
}
