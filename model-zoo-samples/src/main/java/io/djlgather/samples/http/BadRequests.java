package io.djlgather.samples.http;

import io.djlgather.samples.keypoints.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Requests a server must refuse, each with the status and the words of the message it must
 * answer: the table the tests walk (each followed by a good request) and the load test mixes in.
 */
public final class BadRequests {

    private BadRequests() {}

    /**
     * One HTTP request and what it must get.
     *
     * @param name what is wrong, in words
     * @param method the HTTP method
     * @param path the path and query
     * @param contentType the Content-Type, or null for none
     * @param body the body (empty for none)
     * @param status the status it must get
     * @param message words the error message must contain
     */
    public record Case(String name, String method, String path, String contentType, byte[] body, int status, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Returns the table for a server's limits.
     *
     * @param limits the server's limits
     * @return the cases
     */
    public static List<Case> cases(InferenceServer.Limits limits) {
        List<Case> c = new ArrayList<>();
        // POST /ner
        ner(c, "truncated JSON", "{\"text\": \"Alma", 400, "body is not valid JSON");
        ner(c, "text after the JSON value", "{\"text\": \"Alma\"} x", 400, "body is not valid JSON");
        ner(c, "single-quoted (lenient) JSON", "{'text': 'Alma'}", 400, "body is not valid JSON");
        ner(c, "empty body", "", 400, "body is empty");
        ner(c, "a JSON array, not an object", "[\"Alma\"]", 400, "body must be a JSON object");
        ner(c, "text is a number", "{\"text\": 42}", 400, "'text' must be a string; got number");
        ner(c, "text is null", "{\"text\": null}", 400, "'text' must be a string; got null");
        ner(c, "tokens is a string", "{\"tokens\": \"Alma Okafor\"}", 400, "'tokens' must be an array of strings; got string");
        ner(c, "a token is a number", "{\"tokens\": [\"Alma\", 3]}", 400, "tokens[1] must be a string; got number");
        ner(c, "a token holds a space", "{\"tokens\": [\"New York\"]}", 400, "tokens[0] must be non-empty and hold no whitespace");
        ner(c, "an empty token", "{\"tokens\": [\"Alma\", \"\"]}", 400, "tokens[1] must be non-empty");
        ner(c, "blank text", "{\"text\": \" \\t \"}", 400, "'text' is blank");
        ner(c, "empty tokens", "{\"tokens\": []}", 400, "'tokens' is empty");
        ner(c, "both text and tokens", "{\"text\": \"a\", \"tokens\": [\"a\"]}", 400, "give either 'text' or 'tokens', not both");
        ner(c, "neither text nor tokens", "{}", 400, "body has neither 'text' nor 'tokens'");
        ner(c, "an unknown field", "{\"text\": \"Alma\", \"lang\": \"en\"}", 400, "unknown field 'lang'");
        ner(c, "too many tokens", "{\"text\": \"" + "w ".repeat(limits.maxTokens() + 1) + "\"}", 413,
                "too many tokens; expected at most " + limits.maxTokens() + ", got " + (limits.maxTokens() + 1));
        c.add(new Case("body not UTF-8", "POST", "/ner", "application/json",
                new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 400,
                "body is not valid UTF-8"));
        byte[] big = new byte[limits.maxJsonBytes() + 1];
        Arrays.fill(big, (byte) ' ');
        c.add(new Case("JSON body over the limit", "POST", "/ner", "application/json", big, 413,
                "expected at most " + limits.maxJsonBytes()));
        c.add(new Case("not JSON (text/plain)", "POST", "/ner", "text/plain", "Alma".getBytes(StandardCharsets.UTF_8), 415,
                "/ner takes application/json; got text/plain"));
        // paths and methods
        c.add(new Case("unknown path", "GET", "/nope", null, new byte[0], 404, "no endpoint at /nope"));
        c.add(new Case("unknown path, POST", "POST", "/ner/extra", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 404,
                "no endpoint at /ner/extra"));
        c.add(new Case("GET /ner", "GET", "/ner", null, new byte[0], 405, "/ner takes POST, got GET"));
        c.add(new Case("DELETE /metrics", "DELETE", "/metrics", null, new byte[0], 405, "/metrics takes GET, got DELETE"));
        c.add(new Case("POST /health", "POST", "/health", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 405,
                "/health takes GET, got POST"));
        // POST /keypoints
        byte[] png = encode(TestImages.scene(32, 32, 5), "png");
        image(c, "not an image", "", "hello".getBytes(StandardCharsets.UTF_8), 400, "body is not a readable image");
        image(c, "empty image body", "", new byte[0], 400, "body is empty");
        image(c, "truncated PNG", "", Arrays.copyOf(png, 60), 400, "image cannot be decoded");
        image(c, "a GIF", "", encode(TestImages.scene(32, 32, 5), "gif"), 415, "image format is gif; expected PNG or JPEG");
        image(c, "an image over the side limit", "",
                encode(new BufferedImage(limits.maxImageSide() + 1, 16, BufferedImage.TYPE_INT_RGB), "png"), 413,
                "image is " + (limits.maxImageSide() + 1) + "x16 pixels; expected at most " + limits.maxImageSide());
        image(c, "a 100-byte PNG that claims 20,000 x 20,000 pixels", "", pngHeader(20_000, 20_000), 413,
                "image is 20000x20000 pixels; expected at most " + limits.maxImageSide());
        image(c, "a tiny image", "", encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png"), 400,
                "image is 8x8 pixels; expected at least 16");
        image(c, "a point outside the image", "?points=3,4;40,2", png, 400, "point 1 (40, 2) is outside the 32x32 image");
        image(c, "a point that is not numbers", "?points=a,b", png, 400, "point 0 must be two numbers x,y; got 'a,b'");
        image(c, "a negative point", "?points=-1,2", png, 400, "point 0 (-1, 2) is outside");
        image(c, "an unknown query parameter", "?foo=1", png, 400, "unknown query parameter 'foo'");
        image(c, "a point with three numbers", "?points=1,2,3", png, 400, "point 0 must be two numbers x,y; got '1,2,3'");
        image(c, "count 0", "?count=0", png, 400, "'count' must be in [1, " + limits.maxKeypoints() + "]; got 0");
        image(c, "points and count", "?points=1,1&count=2", png, 400, "give either 'points' or 'count', not both");
        byte[] flat = encode(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png");
        image(c, "a flat image without corners", "", flat, 422, "found no corners in the 32x32 image");
        if (limits.maxImageBytes() <= 256 * 1024) {
            image(c, "image body over the limit", "", new byte[limits.maxImageBytes() + 1], 413,
                    "expected at most " + limits.maxImageBytes());
        }
        return c;
    }

    private static void ner(List<Case> c, String name, String json, int status, String message) {
        c.add(new Case(name, "POST", "/ner", "application/json", json.getBytes(StandardCharsets.UTF_8), status, message));
    }

    private static void image(List<Case> c, String name, String query, byte[] body, int status, String message) {
        c.add(new Case(name, "POST", "/keypoints" + query, "image/png", body, status, message));
    }

    /**
     * Returns a PNG that has only a header: a signature, an IHDR chunk (8-bit RGB of the given
     * size) and IEND, no pixel data. A reader that decoded it before checking its size would
     * allocate {@code width * height * 4} bytes.
     *
     * @param width the claimed width
     * @param height the claimed height
     * @return the file's bytes
     */
    public static byte[] pngHeader(int width, int height) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(b, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0}).array());
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(java.nio.ByteBuffer b, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt(data.length).put(t).put(data).putInt((int) crc.getValue());
    }

    /**
     * Encodes an image.
     *
     * @param image the image
     * @param format an ImageIO format name: png, jpeg, gif
     * @return the file's bytes
     */
    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
