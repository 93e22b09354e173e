package io.djlgather.samples.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict JSON in (UTF-8, one document, no lenient extensions) and Gson out. */
final class Json {

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final TypeAdapter<JsonElement> ELEMENT = GSON.getAdapter(JsonElement.class);

    private Json() {}

    /**
     * Parses a body as one strict JSON document.
     *
     * @throws HttpError 400 bad_encoding if it is not UTF-8, 400 malformed_json if it is not JSON
     */
    static JsonElement parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HttpError(400, "bad_encoding", "body is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw new HttpError(400, "malformed_json", "body is empty; expected a JSON object such as {\"text\": \"Alma Okafor visited Lagos\"}");
        }
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = ELEMENT.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new HttpError(400, "malformed_json", "body is not valid JSON: text after the first value at " + reader.getPath());
            }
            return element;
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new HttpError(400, "malformed_json", "body is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * Writes a JSON value as UTF-8, strictly: NaN and infinities, which JSON cannot hold, fail
     * here instead of reaching a client as invalid JSON.
     *
     * @throws IllegalArgumentException if the value holds NaN or an infinity
     */
    static byte[] bytes(JsonElement element) {
        StringWriter text = new StringWriter();
        try (JsonWriter writer = new JsonWriter(text)) {
            writer.setStrictness(Strictness.STRICT);
            writer.setHtmlSafe(false);
            ELEMENT.write(writer, element);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Names a JSON value's type for messages: object, array, string, number, boolean or null. */
    static String typeOf(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "object";
        }
        if (e.isJsonArray()) {
            return "array";
        }
        var p = e.getAsJsonPrimitive();
        return p.isString() ? "string" : p.isNumber() ? "number" : "boolean";
    }
}
