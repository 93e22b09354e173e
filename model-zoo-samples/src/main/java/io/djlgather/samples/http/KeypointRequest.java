package io.djlgather.samples.http;

import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Joints;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.djlgather.samples.keypoints.CornerDetector;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointQuery;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A checked {@code POST /keypoints} request: the body is a PNG or JPEG image; the query string may
 * give {@code points=x,y;x,y;...} in pixels (0 at the first pixel, {@code width - 1} at the
 * last), or {@code count=N} corners to detect (Harris, {@link CornerDetector}; default 16) when
 * no points are given. The image's size is read from its header before it is decoded, so a small
 * file that claims a huge image is refused without decoding it.
 *
 * @param image the decoded image as RGB
 * @param points the keypoints in pixels, [N][2] as (x, y), at least one
 * @param detected whether the points were detected rather than given
 */
public record KeypointRequest(BufferedImage image, double[][] points, boolean detected) {

    /** Images smaller than this a side are refused: the backbone's stem needs some room. */
    public static final int MIN_SIDE = 16;

    /** Corners detected when the request gives neither points nor count. */
    public static final int DEFAULT_COUNT = 16;

    /**
     * Checks a request.
     *
     * @param body the image bytes
     * @param rawQuery the URI's raw query, or null
     * @param maxSide the largest width or height accepted
     * @param maxKeypoints the most points a request may give or ask for
     * @return the request
     * @throws HttpError 400, 413, 415 or 422 with what was wrong
     */
    public static KeypointRequest parse(byte[] body, String rawQuery, int maxSide, int maxKeypoints) {
        String points = null;
        String count = null;
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key;
                String value;
                try {
                    key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new HttpError(400, "bad_query", "query string is not URL-encoded: " + e.getMessage());
                }
                switch (key) {
                    case "points" -> points = value;
                    case "count" -> count = value;
                    default -> throw new HttpError(400, "unknown_parameter",
                            "unknown query parameter '" + key + "'; expected 'points' or 'count'");
                }
            }
        }
        if (points != null && count != null) {
            throw new HttpError(400, "unknown_parameter", "give either 'points' or 'count', not both");
        }
        if (body.length == 0) {
            throw new HttpError(400, "unreadable_image", "body is empty; expected a PNG or JPEG image");
        }
        BufferedImage image = decode(body, maxSide);
        if (points != null) {
            return new KeypointRequest(image, parsePoints(points, image, maxKeypoints), false);
        }
        int n = DEFAULT_COUNT;
        if (count != null) {
            try {
                n = Integer.parseInt(count.strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "wrong_type", "'count' must be an integer; got '" + count + "'");
            }
            if (n < 1 || n > maxKeypoints) {
                throw new HttpError(400, "bad_count", "'count' must be in [1, " + maxKeypoints + "]; got " + n);
            }
        }
        List<CornerDetector.Point> corners = CornerDetector.detect(image, n, 4, 2);
        if (corners.isEmpty()) {
            throw new HttpError(422, "no_keypoints",
                    "found no corners in the " + image.getWidth() + "x" + image.getHeight() + " image (flat?); give points=x,y;...");
        }
        double[][] xy = new double[corners.size()][];
        for (int i = 0; i < xy.length; i++) {
            xy[i] = new double[] {corners.get(i).x(), corners.get(i).y()};
        }
        return new KeypointRequest(image, xy, true);
    }

    /**
     * Decodes a PNG or JPEG after checking its size from the header.
     *
     * @param bytes the file's bytes
     * @param maxSide the largest width or height accepted
     * @return the image as {@link BufferedImage#TYPE_INT_RGB}
     * @throws HttpError 415 for another format, 413 for a huge image, 400 for a small or broken one
     */
    public static BufferedImage decode(byte[] bytes, int maxSide) {
        // in memory: ImageIO.createImageInputStream would cache the bytes in a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new HttpError(400, "unreadable_image", "body is not a readable image; expected PNG or JPEG bytes");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg")) {
                    throw new HttpError(415, "unsupported_image", "image format is " + format + "; expected PNG or JPEG");
                }
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w > maxSide || h > maxSide) {
                    throw new HttpError(413, "image_too_large",
                            "image is " + w + "x" + h + " pixels; expected at most " + maxSide + " a side");
                }
                if (w < MIN_SIDE || h < MIN_SIDE) {
                    throw new HttpError(400, "image_too_small",
                            "image is " + w + "x" + h + " pixels; expected at least " + MIN_SIDE + " a side");
                }
                return rgb(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof HttpError h) {
                throw h;
            }
            throw new HttpError(400, "unreadable_image", "image cannot be decoded: " + e.getMessage());
        }
    }

    /** Returns the image as TYPE_INT_RGB (alpha dropped, grey expanded), as the model reads it. */
    public static BufferedImage rgb(BufferedImage in) {
        if (in.getType() == BufferedImage.TYPE_INT_RGB) {
            return in;
        }
        BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.drawImage(in, 0, 0, null);
        g.dispose();
        return out;
    }

    private static double[][] parsePoints(String text, BufferedImage image, int maxKeypoints) {
        String[] items = text.strip().split(";");
        if (text.isBlank()) {
            throw new HttpError(400, "bad_points", "'points' is empty; expected x,y;x,y;... in pixels");
        }
        if (items.length > maxKeypoints) {
            throw new HttpError(413, "too_many_points", "too many points; expected at most " + maxKeypoints + ", got " + items.length);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        double[][] out = new double[items.length][];
        for (int i = 0; i < items.length; i++) {
            String[] xy = items[i].split(",");
            double x;
            double y;
            try {
                if (xy.length != 2) {
                    throw new NumberFormatException();
                }
                x = Double.parseDouble(xy[0].strip());
                y = Double.parseDouble(xy[1].strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad_points", "point " + i + " must be two numbers x,y; got '" + items[i] + "'");
            }
            if (!(x >= 0 && x <= w - 1 && y >= 0 && y <= h - 1)) {
                throw new HttpError(400, "bad_points", "point " + i + " (" + xy[0].strip() + ", " + xy[1].strip()
                        + ") is outside the " + w + "x" + h + " image; expected 0 <= x <= " + (w - 1) + ", 0 <= y <= " + (h - 1));
            }
            out[i] = new double[] {x, y};
        }
        return out;
    }

    /** Returns the model's input: the image and the points normalised as DJL's joints. */
    public KeypointQuery query() {
        List<Joints.Joint> joints = new ArrayList<>(points.length);
        for (double[] p : points) {
            joints.add(new Joints.Joint(p[0] / (image.getWidth() - 1), p[1] / (image.getHeight() - 1), 1.0));
        }
        return new KeypointQuery(ImageFactory.getInstance().fromImage(image), new Joints(joints));
    }

    /**
     * Builds the answer: the image and feature-map sizes, and per keypoint its pixel position and
     * its bilinear and nearest-cell feature vectors.
     *
     * @param f the model's output for {@link #query()}
     * @return the JSON answer
     */
    public JsonObject response(KeypointFeatures f) {
        JsonObject out = new JsonObject();
        out.addProperty("width", image.getWidth());
        out.addProperty("height", image.getHeight());
        out.addProperty("mapHeight", f.mapHeight());
        out.addProperty("mapWidth", f.mapWidth());
        out.addProperty("channels", f.channels());
        out.addProperty("detected", detected);
        JsonArray keypoints = new JsonArray();
        for (int i = 0; i < points.length; i++) {
            JsonObject k = new JsonObject();
            k.addProperty("x", points[i][0]);
            k.addProperty("y", points[i][1]);
            k.add("bilinear", floats(f.bilinear()[i]));
            k.add("nearest", floats(f.nearest()[i]));
            keypoints.add(k);
        }
        out.add("keypoints", keypoints);
        return out;
    }

    private static JsonArray floats(float[] values) {
        JsonArray a = new JsonArray(values.length);
        for (float v : values) {
            a.add(v);
        }
        return a;
    }
}
