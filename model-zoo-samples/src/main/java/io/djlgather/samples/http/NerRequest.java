package io.djlgather.samples.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.djlgather.samples.ner.BioSpans;
import io.djlgather.samples.ner.TaggedSentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A checked {@code POST /ner} body: {@code {"text": "..."}} (split at whitespace, as the tagger's
 * translator splits it, keeping each token's character offsets) or {@code {"tokens": [...]}}
 * (non-blank strings without whitespace). Anything else is an {@link HttpError} that names the
 * field and what it held.
 *
 * @param tokens the tokens, at least one
 * @param charStarts each token's first character in {@code text}, or null for a {@code tokens} body
 */
public record NerRequest(List<String> tokens, int[] charStarts, int topK) {

    /** The fields a body may have. */
    static final List<String> FIELDS = List.of("text", "tokens", "topK");

    /** The most alternatives a request may ask for. */
    public static final int MAX_TOP_K = 20;

    /**
     * A request without alternatives.
     *
     * @param tokens the tokens, at least one
     * @param charStarts each token's first character in the text, or null for a tokens body
     */
    public NerRequest(List<String> tokens, int[] charStarts) {
        this(tokens, charStarts, 0);
    }

    /**
     * Checks a body.
     *
     * @param body the raw body
     * @param maxTokens the most tokens a request may have
     * @return the request
     * @throws HttpError 400 or 413 with what was wrong
     */
    public static NerRequest parse(byte[] body, int maxTokens) {
        JsonElement element = Json.parse(body);
        if (!element.isJsonObject()) {
            throw new HttpError(400, "wrong_type",
                    "body must be a JSON object such as {\"text\": \"...\"} or {\"tokens\": [...]}; got " + Json.typeOf(element));
        }
        JsonObject o = element.getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!FIELDS.contains(e.getKey())) {
                throw new HttpError(400, "unknown_field", "unknown field '" + e.getKey() + "'; expected one of " + FIELDS);
            }
        }
        boolean hasText = o.has("text");
        boolean hasTokens = o.has("tokens");
        if (hasText == hasTokens) {
            throw new HttpError(400, "missing_field", hasText
                    ? "give either 'text' or 'tokens', not both"
                    : "body has neither 'text' nor 'tokens'; expected one of them");
        }
        NerRequest request = hasText ? fromText(o.get("text")) : fromTokens(o.get("tokens"));
        if (o.has("topK")) {
            request = new NerRequest(request.tokens(), request.charStarts(), topK(o.get("topK")));
        }
        if (request.tokens().size() > maxTokens) {
            throw new HttpError(413, "too_many_tokens",
                    "too many tokens; expected at most " + maxTokens + ", got " + request.tokens().size());
        }
        return request;
    }

    private static NerRequest fromText(JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new HttpError(400, "wrong_type", "'text' must be a string; got " + Json.typeOf(e));
        }
        String text = e.getAsString();
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            throw new HttpError(400, "empty_text", "'text' is blank; expected at least one word");
        }
        // the translator's own split, so that the server tags exactly what it reports
        String[] parts = stripped.split("\\s+");
        int[] starts = new int[parts.length];
        int from = 0;
        for (int i = 0; i < parts.length; i++) {
            starts[i] = text.indexOf(parts[i], from);
            from = starts[i] + parts[i].length();
        }
        return new NerRequest(List.of(parts), starts);
    }

    private static NerRequest fromTokens(JsonElement e) {
        if (!e.isJsonArray()) {
            throw new HttpError(400, "wrong_type", "'tokens' must be an array of strings; got " + Json.typeOf(e));
        }
        JsonArray array = e.getAsJsonArray();
        if (array.isEmpty()) {
            throw new HttpError(400, "empty_text", "'tokens' is empty; expected at least one token");
        }
        List<String> tokens = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement t = array.get(i);
            if (!t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString()) {
                throw new HttpError(400, "wrong_type", "tokens[" + i + "] must be a string; got " + Json.typeOf(t));
            }
            String token = t.getAsString();
            if (token.isEmpty() || !token.equals(token.strip()) || token.matches("(?s).*\\s.*")) {
                throw new HttpError(400, "bad_token",
                        "tokens[" + i + "] must be non-empty and hold no whitespace; got " + Json.GSON.toJson(token));
            }
            tokens.add(token);
        }
        return new NerRequest(List.copyOf(tokens), null);
    }

    private static int topK(JsonElement e) {
        String problem = "'topK' must be an integer in [1, " + MAX_TOP_K + "]; got ";
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new HttpError(400, "wrong_type", problem + Json.typeOf(e));
        }
        java.math.BigDecimal value = e.getAsBigDecimal();
        if (value.stripTrailingZeros().scale() > 0
                || value.compareTo(java.math.BigDecimal.ONE) < 0
                || value.compareTo(java.math.BigDecimal.valueOf(MAX_TOP_K)) > 0) {
            throw new HttpError(400, "bad_top_k", problem + value.toPlainString());
        }
        return value.intValueExact();
    }

    /** Returns the sentence as the tagger takes it: the tokens joined by single spaces. */
    public String sentence() {
        return String.join(" ", tokens);
    }

    /**
     * Builds the answer: tokens, tags, each tag's confidence, the Viterbi path score, and the
     * entities (BIO spans, tokens {@code [start, end)}, with character offsets for a text body)
     * scored by the mean confidence of their tokens.
     *
     * @param tagged the tagger's output for {@link #sentence()}
     * @return the JSON answer
     */
    public JsonObject response(TaggedSentence tagged) {
        JsonObject out = new JsonObject();
        out.add("tokens", Json.GSON.toJsonTree(tagged.tokens()));
        out.add("tags", Json.GSON.toJsonTree(tagged.tags()));
        JsonArray confidence = new JsonArray();
        for (float c : tagged.confidence()) {
            confidence.add(c);
        }
        out.add("confidence", confidence);
        out.addProperty("score", tagged.score());
        JsonArray entities = new JsonArray();
        for (BioSpans.Span span : BioSpans.spans(tagged.tags())) {
            JsonObject entity = new JsonObject();
            entity.addProperty("type", span.type());
            entity.addProperty("start", span.start());
            entity.addProperty("end", span.end());
            entity.addProperty("text", String.join(" ", tagged.tokens().subList(span.start(), span.end())));
            float sum = 0;
            for (int i = span.start(); i < span.end(); i++) {
                sum += tagged.confidence()[i];
            }
            entity.addProperty("score", sum / (span.end() - span.start()));
            if (charStarts != null) {
                entity.addProperty("charStart", charStarts[span.start()]);
                entity.addProperty("charEnd", charStarts[span.end() - 1] + tokens.get(span.end() - 1).length());
            }
            entities.add(entity);
        }
        out.add("entities", entities);
        return out;
    }

    /**
     * Adds the k best tag paths to an answer: {@code "alternatives": [{"tags": [...], "score":
     * s}, ...]}, best first (the first is the answer's own {@code tags}).
     *
     * @param out the answer of {@link #response}
     * @param alternatives the paths, best first
     * @return {@code out}
     */
    public JsonObject withAlternatives(JsonObject out, List<io.djlgather.samples.ner.NerTagging.ScoredTags> alternatives) {
        JsonArray list = new JsonArray();
        for (io.djlgather.samples.ner.NerTagging.ScoredTags path : alternatives) {
            JsonObject o = new JsonObject();
            o.add("tags", Json.GSON.toJsonTree(path.tags()));
            o.addProperty("score", path.score());
            list.add(o);
        }
        out.add("alternatives", list);
        return out;
    }
}
