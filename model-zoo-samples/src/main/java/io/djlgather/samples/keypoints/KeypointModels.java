package io.djlgather.samples.keypoints;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The keypoint feature backbone: the first stages of DJL's ResNet-18 ({@link ResNetV1} from
 * ai.djl.basicmodelzoo), cut where the feature map reaches 1/8 of the image size (128 channels),
 * so that features keep enough resolution to tell nearby keypoints apart. Weights start as DJL's
 * default initialisation under a fixed seed and are then trained offline, self-supervised, by
 * {@link KeypointTrainer} (nothing downloaded).
 *
 * <p>Saved as a folder: DJL parameters {@code keypoint-features-0000.params} and {@code
 * backbone.properties} (image size, depth, blocks kept, training steps), loaded back as a {@link ZooModel} with a
 * {@link KeypointTranslator}.
 */
public final class KeypointModels {

    /** The model's name and artifact id. */
    public static final String NAME = "keypoint-features";

    private static final String FILE = "backbone.properties";
    private static final int LAYERS = 18;

    private KeypointModels() {}

    /**
     * Builds the backbone with fresh weights.
     *
     * @param imageSize the side of the square images the ResNet is configured for (its stem
     *     depends on it: a 7x7 stride-2 convolution and pooling above 32 pixels)
     * @param seed the seed of the initialisation
     * @return the model; the caller closes it
     */
    public static Model create(int imageSize, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Pair<SequentialBlock, Integer> trunk = trunk(imageSize, -1);
        Model model = Model.newInstance(NAME);
        model.setBlock(trunk.getKey());
        trunk.getKey().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
        model.setProperty("imageSize", Integer.toString(imageSize));
        model.setProperty("blocks", Integer.toString(trunk.getValue()));
        return model;
    }

    /** Builds DJL's ResNet-18 for an image size and cuts it (see {@link #cut}). */
    private static Pair<SequentialBlock, Integer> trunk(int imageSize, int keep) {
        SequentialBlock resnet =
                ResNetV1.builder()
                        .setImageShape(new Shape(3, imageSize, imageSize))
                        .setNumLayers(LAYERS)
                        .setOutSize(10)
                        .build();
        return cut(resnet, imageSize, keep);
    }

    /**
     * Cuts a sequential CNN: keeps its first {@code keep} blocks, or, with {@code keep < 0}, the
     * blocks whose output is still a feature map at least 1/8 of the image's side.
     *
     * @param resnet the network, e.g. a {@link ResNetV1}
     * @param imageSize the side of the square input
     * @param keep blocks to keep, or -1
     * @return the trunk (sharing the network's blocks) and the number of blocks kept
     */
    public static Pair<SequentialBlock, Integer> cut(SequentialBlock resnet, int imageSize, int keep) {
        SequentialBlock trunk = new SequentialBlock();
        Shape shape = new Shape(1, 3, imageSize, imageSize);
        int kept = 0;
        for (Pair<String, Block> child : resnet.getChildren()) {
            if (keep >= 0 && kept == keep) {
                break;
            }
            if (keep < 0) {
                Shape next = child.getValue().getOutputShapes(new Shape[] {shape})[0];
                if (next.dimension() != 4 || next.get(2) * 8 < imageSize) {
                    break;
                }
                shape = next;
            }
            trunk.add(child.getValue());
            kept++;
        }
        return new Pair<>(trunk, kept);
    }

    /**
     * Writes the model into {@code dir} (created if missing).
     *
     * @param model a model from {@link #create}
     * @param dir the folder
     * @throws IOException if writing fails
     */
    public static void save(Model model, Path dir) throws IOException {
        Files.createDirectories(dir);
        model.save(dir, NAME);
        Properties p = new Properties();
        p.setProperty("imageSize", model.getProperty("imageSize"));
        p.setProperty("blocks", model.getProperty("blocks"));
        p.setProperty("layers", Integer.toString(LAYERS));
        if (model.getProperty("trainSteps") != null) {
            p.setProperty("trainSteps", model.getProperty("trainSteps"));
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.store(w, "ResNetV1 trunk used as keypoint feature extractor");
        }
    }

    /**
     * Returns true when {@code dir} holds a saved backbone.
     *
     * @param dir the folder
     * @return whether its files are there
     */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE))
                && Files.isRegularFile(dir.resolve(NAME + "-0000.params"));
    }

    /**
     * Loads a backbone written by {@link #save}.
     *
     * @param dir the folder
     * @return the model with its translator; the caller closes it
     * @throws IOException if a file cannot be read
     * @throws MalformedModelException if the parameters do not fit the block
     */
    public static ZooModel<KeypointQuery, KeypointFeatures> load(Path dir)
            throws IOException, MalformedModelException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        int imageSize;
        int blocks;
        try {
            imageSize = Integer.parseInt(p.getProperty("imageSize"));
            blocks = Integer.parseInt(p.getProperty("blocks"));
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(FILE) + ": missing or bad value: " + e.getMessage(), e);
        }
        Model model = Model.newInstance(NAME);
        try {
            model.setBlock(trunk(imageSize, blocks).getKey());
            model.load(dir, NAME);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
        return new ZooModel<>(model, new KeypointTranslator());
    }

    /**
     * Wraps an in-memory model with the translator.
     *
     * @param model a model from {@link #create}
     * @return the zoo model (closing it closes {@code model})
     */
    public static ZooModel<KeypointQuery, KeypointFeatures> wrap(Model model) {
        return new ZooModel<>(model, new KeypointTranslator());
    }
}
